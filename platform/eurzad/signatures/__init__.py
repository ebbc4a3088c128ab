"""The office's signatures: its keys (keys.py), XML signatures (xmldsig.py) and PDF signatures (pades.py).

Used by the receipts and by the case log's seals; no routes, no tables but what the callers keep.
"""
