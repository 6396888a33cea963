"""ABS mutualisée (public schema)."""
