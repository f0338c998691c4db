"""Bundled jurisdictions: one package per country, holding its pack data and its rules."""
