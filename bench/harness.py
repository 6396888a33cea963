"""Benchmark harness: a throwaway embedded PostgreSQL set up like production, and timing helpers.

Each bench module exposes `run() -> None` and prints its numbers with `report(...)`.
"""

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

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


def machine_speed_seconds() -> float:
    """Seconds for 10 million additions in a pure-Python loop, the best of three: how fast this
    machine runs Python right now. The same machine ran it in 0.60 to 2.21 s within a day
    (2026-12-01): figures of runs compare only with this printed beside them. A rough sign only:
    the loop stays in the processor's cache, Django does not (at 0.60 s the registrations still
    ran as slowly as at 1.4 s); the seminars benchmark's load generator CPU is the better one."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        best = min(best, time.perf_counter() - start)
    return best


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


def cpu_seconds_by_process() -> dict[str, float]:
    """CPU time (user + system) used so far by each running process, summed by command name
    ("postgres", "gunicorn", ...). Linux only (/proc); empty elsewhere.

    Taken before and after a burst of requests, it tells where the machine's cores went: the
    server's Python, PostgreSQL, or the load generator sharing the same cores.
    """
    ticks_per_second = os.sysconf("SC_CLK_TCK")
    totals: dict[str, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            line = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        # "pid (command name) state ...": the name may hold spaces, so split around the brackets.
        name = line[line.index("(") + 1 : line.rindex(")")].split()[0] if "(" in line else "?"
        fields = line[line.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / ticks_per_second  # utime + stime
        totals[name] = totals.get(name, 0.0) + seconds
    return totals
