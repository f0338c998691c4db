"""Sample data for the demo and the docs (package data)."""
