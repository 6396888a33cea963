"""A server process loads what requests share before its first request, then freezes it."""

import gc
import importlib
import logging

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError

from tenants import matching
from tests.conftest import run_committed
from union import warmup

pytestmark = pytest.mark.django_db


@pytest.fixture
def unfrozen():
    """The test process's objects go back under the collector's watch afterwards."""
    gc.unfreeze()
    matching.reset_index()
    yield
    gc.unfreeze()
    gc.collect()  # what the freeze kept from collection (another test's closed connections)
    matching.reset_index()


def test_the_wsgi_entry_point_builds_the_commune_index_and_freezes_the_loaded_objects(unfrozen):
    # Live objects only: the warm-up collects before it freezes, and the cyclic garbage earlier
    # tests left (more of it since session 17's tests ran first) made the count before larger.
    gc.collect()
    tracked_before = len(gc.get_objects())

    module = run_committed(importlib.import_module, "union.wsgi")

    assert isinstance(module.application, WSGIHandler)
    assert matching._index is not None  # built before any request needed it
    assert gc.get_freeze_count() > tracked_before  # everything alive, the index included
    # A full collection now walks only what was created since: a few objects, not the process.
    assert len(gc.get_objects()) < 1_000


def test_without_the_database_the_process_still_starts_and_the_index_waits(
    unfrozen, monkeypatch, caplog
):
    def database_down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(warmup, "get_index", database_down)

    with caplog.at_level(logging.WARNING, logger="union.warmup"):
        run_committed(warmup.prepare_server_process)

    assert matching._index is None  # the first request that matches a commune builds it
    assert gc.get_freeze_count() > 0
    assert "Index des communes non chargé" in caplog.text
