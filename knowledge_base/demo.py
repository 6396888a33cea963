"""Demo data of knowledge_base, loaded by `manage.py demo`."""


def load(stdout) -> None:
    """Load this app's demo data. Idempotent."""
