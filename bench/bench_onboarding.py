"""Onboarding one member (schema clone included) with 40 members; no-op migrate_schemas for 40 and 400."""

import time

from django.core.management import call_command
from django.db import connection

from bench.harness import report, timings
from tenants.models import Commune, MemberCCAS
from tenants.services import onboard_member


def _onboard_next(codes: list[str], fresh_connection: bool):
    def onboard():
        if fresh_connection:
            # As `add_member` (a new process) or a request after DB_CONN_MAX_AGE: a backend that
            # has cloned dozens of schemas carries a bloated catalog cache and clones 2-3x slower.
            connection.close()
        onboard_member(codes.pop())
        connection.set_schema_to_public()

    return onboard


def _grow_to(count: int, codes: list[str]) -> None:
    while MemberCCAS.objects.count() < count:
        if MemberCCAS.objects.count() % 20 == 0:
            connection.close()  # see _onboard_next
        onboard_member(codes.pop())
        connection.set_schema_to_public()


def _noop_migrate_seconds(executor: str) -> float:
    start = time.perf_counter()
    call_command("migrate_schemas", tenant=True, executor=executor, interactive=False, verbosity=0)
    return time.perf_counter() - start


def run() -> None:
    codes = list(
        Commune.objects.exclude(members__isnull=False)
        .order_by("-population")
        .values_list("code", flat=True)[:420]
    )
    _grow_to(40, codes)
    report(
        "onboarding one member (40 members, clone included)",
        timings(_onboard_next(codes, fresh_connection=True), repeat=15, warmup=1),
        500,
    )
    report(
        "  the same, 15 in a row on one long-lived connection",
        timings(_onboard_next(codes, fresh_connection=False), repeat=15, warmup=0),
    )
    for count in (40, 400):
        _grow_to(count, codes)
        for executor in ("standard", "multiprocessing"):
            seconds = _noop_migrate_seconds(executor)
            target = "  target < 50 s" if count == 400 else ""
            print(
                f"migrate_schemas, nothing to apply, {count} members, {executor:<15} {seconds:7.1f} s{target}",
                flush=True,
            )
