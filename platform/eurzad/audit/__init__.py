"""The audit trail: who did what, when, as ODK writes it (actor, typed action `noun.verb`, subject,
details, time). Two logs of one shape (decision 0023): account events here, the case log (metryka)
with its case in cases/models.py. One vocabulary of actions and their labels for both."""
