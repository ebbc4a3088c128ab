"""E-mail leaves the office through an outbox: a row written in the same transaction as the change
it reports, sent later by `eurzad worker` with retries. A request never waits for SMTP."""
