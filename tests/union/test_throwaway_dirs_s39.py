"""Test and benchmark runs leave nothing in /tmp: their media folder and their PostgreSQL's folder
go when the run ends, and a run killed outright has its cluster stopped and its folders removed by
the next one (union.throwaway)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from union.db import BASE_DIR
from union.throwaway import OWNER_FILE, sweep_orphans

START_A_CLUSTER = """
import os
from union.db import embedded_database_config
from union.throwaway import make_throwaway_dir
folder = make_throwaway_dir("killed-run")
embedded_database_config(folder / "pg", "maillage", keep_running=False)
print(folder, flush=True)
print(int((folder / "pg" / "postmaster.pid").read_text().splitlines()[0]), flush=True)
if os.environ.get("WAIT_TO_BE_KILLED"):
    import time
    time.sleep(600)
"""


def run_python(code: str, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        text=True,
    )


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_until_stopped(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not is_running(pid):
            return True
        time.sleep(0.1)
    return False


def test_a_run_that_ends_removes_its_folders():
    process = run_python(START_A_CLUSTER)
    folder = Path(process.stdout.readline().strip())
    postmaster = int(process.stdout.readline())
    assert process.wait(timeout=60) == 0

    assert wait_until_stopped(postmaster)
    assert not folder.exists()


def test_a_killed_run_is_cleaned_up_by_the_next_and_live_runs_are_left_alone():
    process = run_python(START_A_CLUSTER, WAIT_TO_BE_KILLED="1")
    folder = Path(process.stdout.readline().strip())
    postmaster = int(process.stdout.readline())
    process.send_signal(signal.SIGKILL)  # nothing of its own runs at exit
    process.wait(timeout=10)
    assert folder.exists() and is_running(postmaster)

    removed = sweep_orphans()

    assert folder in removed
    assert not folder.exists()
    assert wait_until_stopped(postmaster)
    # This run's own folders stay: their process is alive.
    assert Path(settings.MEDIA_ROOT).exists()
    assert (Path(settings.MEDIA_ROOT) / OWNER_FILE).read_text() == str(os.getpid())


def test_folders_without_our_owner_file_are_not_touched(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    someone_elses = tmp_path / "maillage-not-ours"
    someone_elses.mkdir()
    dead_owner = tmp_path / "maillage-dead-owner"
    dead_owner.mkdir()
    (dead_owner / OWNER_FILE).write_text(str(dead_pid()))

    assert sweep_orphans() == [dead_owner]
    assert someone_elses.exists()


def dead_pid() -> int:
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(finished.stdout)


def test_a_stale_or_planted_postmaster_pid_never_stops_another_process(tmp_path, monkeypatch):
    """Audit A30: the sweep signalled whatever process a postmaster.pid named. A file left by a
    crash names a pid since reused; /tmp lets anyone plant one, or a link to a real data
    folder. Only a postmaster running in that very folder is stopped."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    victim = subprocess.Popen(["sleep", "300"])
    try:
        stale = tmp_path / "maillage-stale"
        (stale / "pg").mkdir(parents=True)
        (stale / OWNER_FILE).write_text(str(dead_pid()))
        (stale / "pg" / "postmaster.pid").write_text(f"{victim.pid}\n/ailleurs\n")
        elsewhere = tmp_path / "real-data"
        elsewhere.mkdir()
        (elsewhere / "postmaster.pid").write_text(f"{victim.pid}\n")
        linked = tmp_path / "maillage-linked"
        linked.mkdir()
        (linked / OWNER_FILE).write_text(str(dead_pid()))
        (linked / "pg").symlink_to(elsewhere)
        planted = tmp_path / "maillage-planted"
        planted.symlink_to(elsewhere)

        removed = sweep_orphans()

        assert sorted(removed) == [linked, stale]
        assert victim.poll() is None  # still running
        assert elsewhere.exists() and (elsewhere / "postmaster.pid").exists()
        assert planted.is_symlink()  # someone else's name, left alone
    finally:
        victim.kill()
        victim.wait()
