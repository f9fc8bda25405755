"""Validate stage: each file against its schema, then the cross-entity rules and the review lint."""
