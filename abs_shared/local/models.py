"""The private half of the ABS: a member's own observations (tenant schema)."""
