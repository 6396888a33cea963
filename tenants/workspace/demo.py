"""Demo data of the member workspace, loaded by `manage.py demo`."""


def load(stdout) -> None:
    """Load the workspace demo data. Idempotent."""
