"""Prepare a server process before its first request: load what requests share, then freeze it.

A web process holds about 290,000 objects tracked by Python's garbage collector once Django,
Wagtail, both URLconfs and the commune matcher's index are loaded, and none of them is ever
freed. Each full collection walked them all again: 290 ms of one core on a slow machine, in the
middle of whichever request triggered it, about once every 600 registrations (0.4 ms of CPU per
registration, and a stall of a third of a second for the requests queued behind it).
`gc.freeze()` moves them out of the collector's sight (Python's documentation recommends it for
processes forked from a loaded parent, gunicorn's workers included); they are still freed by
reference counting if ever dropped, as the matcher's index is when it is rebuilt.
"""

import gc
import logging
from importlib import import_module

from django.conf import settings
from django.db import DatabaseError, connections

from tenants.matching import get_index

logger = logging.getLogger(__name__)


def prepare_server_process() -> None:
    """Load the URLconfs and the commune index, then freeze every object alive."""
    for urlconf in {settings.PUBLIC_SCHEMA_URLCONF, settings.ROOT_URLCONF}:
        import_module(urlconf)  # the views, the API, Wagtail's admin
    try:
        get_index()  # every registration, import and member creation matches communes
    except DatabaseError:
        # The database is not there yet: the first request that matches a commune builds it.
        logger.warning("Index des communes non chargé au démarrage (base indisponible).")
    finally:
        # Workers forked after this (gunicorn --preload) must not share the parent's connection.
        connections.close_all()
    gc.collect()
    gc.freeze()
