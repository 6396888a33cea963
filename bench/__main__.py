"""Run the benchmarks: `make bench` (all) or `make bench BENCH_ARGS="onboarding seminars"`.

Each name is a module bench/bench_<name>.py with a `run()` function.
"""

import importlib
import pkgutil
import sys
from pathlib import Path

from bench.harness import setup_django


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
    setup_django()
    for name in selected:
        print(f"== {name}", flush=True)
        importlib.import_module(f"bench.bench_{name}").run()


if __name__ == "__main__":
    main(sys.argv[1:])
