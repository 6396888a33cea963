"""Run the benchmarks: `make bench` (all) or `make bench BENCH_ARGS="onboarding seminars"`.

Each name is a module bench/bench_<name>.py with a `run()` function.
"""

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

from bench.harness import machine_speed_seconds, setup_django


def main(names: list[str]) -> None:
    available = sorted(
        module.name.removeprefix("bench_")
        for module in pkgutil.iter_modules([str(Path(__file__).parent)])
        if module.name.startswith("bench_")
    )
    selected = names or available
    unknown = set(selected) - set(available)
    if unknown:
        sys.exit(
            f"Benchmarks inconnus : {', '.join(sorted(unknown))}. Disponibles : {', '.join(available)}"
        )
    if len(selected) > 1:
        # One process, hence one fresh database, per benchmark: their data must not meet.
        failed = [
            name
            for name in selected
            if subprocess.run([sys.executable, "-m", "bench", name]).returncode != 0
        ]
        sys.exit(f"Bancs d'essai en échec : {', '.join(failed)}" if failed else 0)
    setup_django()
    print(
        f"== {selected[0]} (machine : 10 millions d'additions en Python en "
        f"{machine_speed_seconds():.2f} s)",
        flush=True,
    )
    importlib.import_module(f"bench.bench_{selected[0]}").run()


if __name__ == "__main__":
    main(sys.argv[1:])
