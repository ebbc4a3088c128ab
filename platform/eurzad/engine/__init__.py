"""The engine: definitions, field types, forms, conditions, validation, routing. No Flask, no database."""
