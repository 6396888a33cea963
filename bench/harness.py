"""Benchmark harness: a throwaway embedded PostgreSQL set up like production, and timing helpers.

Each bench module exposes `run() -> None` and prints its numbers with `report(...)`.
"""

import os
import statistics
import time
from collections.abc import Callable

_ready = False


def setup_django() -> None:
    """Start Django on a fresh database: public + template migrated, union groups, COG loaded."""
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "union.settings.bench")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("setup_platform", verbosity=0)
    _ready = True


def timings(fn: Callable[[], object], repeat: int, warmup: int = 2) -> list[float]:
    """Wall-clock milliseconds of `repeat` calls of fn, after `warmup` unmeasured calls."""
    for _ in range(warmup):
        fn()
    measured = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        measured.append((time.perf_counter() - start) * 1000)
    return measured


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def report(name: str, values_ms: list[float], target_ms: float | None = None) -> None:
    """Print one line: median, p95, min, max and whether the target is met."""
    median = statistics.median(values_ms)
    verdict = ""
    if target_ms is not None:
        verdict = f"  target < {target_ms:.0f} ms: {'OK' if median < target_ms else 'MISSED'}"
    print(
        f"{name:<60} median {median:8.1f} ms  p95 {percentile(values_ms, 0.95):8.1f} ms  "
        f"min {min(values_ms):8.1f}  max {max(values_ms):8.1f}  n={len(values_ms)}{verdict}",
        flush=True,
    )
