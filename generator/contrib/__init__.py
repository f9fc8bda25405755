"""Contributor tools: canonical formatting, scaffolding of new entries, adding references."""
