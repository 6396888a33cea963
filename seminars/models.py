"""Séminaires et ateliers (public schema)."""
