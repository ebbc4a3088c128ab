"""Cases: submissions as filed, their numbers, routing and log. Data and operations only; the
citizen, clerk and receipts areas show them."""
