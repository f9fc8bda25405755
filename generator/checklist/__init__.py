"""Checklists: compose a scenario's items from the checked KB, export them, compare a filled-in copy."""
