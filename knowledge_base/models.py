"""Base de connaissances (public schema)."""
