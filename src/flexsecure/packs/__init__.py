"""Bundled rule packs (package data: TOML files only, never executed)."""
