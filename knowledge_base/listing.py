"""Filtering, sorting and paginating guides and experiences (index pages, API and feeds share it)."""
