"""200 concurrent registration attempts over HTTP on 50 seats, against a running server.

A real server (gunicorn, production settings apart from the database: DEBUG off, e-mails queued in
PostgreSQL) is started on the benchmark's database; clients post to the API from one event loop,
1, 10, 50 and then all 200 at once. Checks: exactly 50 confirmed (zero overbooking), zero 5xx;
prints median and p95 latency against the target (median < 150 ms). Then the real worker
(`manage.py db_worker --batch`) sends the queued e-mails: every registration must have its own.
"""

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone

from bench.harness import cpu_seconds_by_process, percentile, report

ATTEMPTS = 200
SEATS = 50
CONCURRENCY = (1, 10, 50, 200)  # clients sending at once
TARGET_MS = 150
# As README's deployment: two single-threaded processes per core. With 2 x 4 threads a thread
# holding the event's lock waited for its process's GIL between its queries, and every other
# registration of the event waited behind it: the cores were busy 70-76 % of the run against
# 83-88 % with 4 x 1 (median at 200 at once 753-784 ms against 598-668, 2026-12-01, a slow
# machine; docs/operations.md). Earlier, before the registration's CPU was halved, at 50 at once:
# 2 x 4 threads 76-96 ms, 3 sync workers 130-150 ms, 2 x 8 threads 129-171 ms.
WORKERS, THREADS = 4, 1
SERVER_SETTINGS = "bench.seminars_server_settings"
ROOT = Path(__file__).resolve().parent.parent
LOG = Path(tempfile.gettempdir()) / "maillage-bench-seminars-server.log"


def database_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    db = settings.DATABASES["default"]
    host = db.get("OPTIONS", {}).get("host") or db["HOST"] or "localhost"
    if host.startswith("/"):
        return f"postgresql://{db['USER']}:{quote(db['PASSWORD'] or '')}@/{db['NAME']}?host={host}"
    return (
        f"postgresql://{db['USER']}:{quote(db['PASSWORD'] or '')}@{host}:{db['PORT']}/{db['NAME']}"
    )


def start_server(port: int, settings_module: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "BENCH_DATABASE_URL": database_url(),
        "DB_CONN_MAX_AGE": "60",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [
            str(gunicorn),
            "union.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={WORKERS}",
            f"--threads={THREADS}",
            "--worker-class=gthread",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        # The server's own log (task notices) would drown the numbers.
        stdout=subprocess.DEVNULL,
        stderr=open(LOG, "wb"),  # noqa: SIM115 – closed with the process
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _body, _ms = request(port, "GET", "/api/v1/seminars/")
            if status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("Le serveur de test n'a pas démarré.")


def request(
    port: int, method: str, path: str, body: dict | None = None
) -> tuple[int, bytes, float]:
    """One request on a new connection, timed from connect to the last byte."""
    return asyncio.run(send(port, method, path, body))


async def send(
    port: int, method: str, path: str, body: dict | None = None
) -> tuple[int, bytes, float]:
    # Raw HTTP/1.1 from one event loop rather than http.client in 50 threads: the client shares
    # the machine's two cores with the server, and should take as little of them as it can.
    payload = json.dumps(body).encode() if body is not None else b""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
    ).encode()
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(head + payload)
    response = await reader.read()  # to the end: the server closes the connection
    elapsed = (time.perf_counter() - start) * 1000
    writer.close()
    header, _, data = response.partition(b"\r\n\r\n")
    return int(header.split(b" ", 2)[1]), data, elapsed


def make_event(title: str, seats: int):
    from seminars.models import SeminarPage
    from seminars.services import ensure_event_index

    SeminarPage.objects.filter(title=title).delete()
    start = timezone.now() + timedelta(days=20)
    page = SeminarPage(
        title=title,
        slug=f"bench-{time.time_ns()}",
        kind="seminaire",
        start=start,
        end=start + timedelta(hours=6),
        seats=seats,
    )
    ensure_event_index().add_child(instance=page)
    page.save_revision().publish()
    return page


COMMUNES = ["Bondy", "MONTREUIL", "ST DENIS", "93001", "Noisy le Sec", "Pantin", "Créteil"]


def attempts(
    port: int, seminar_id: int, concurrency: int, count: int, tag: str
) -> list[tuple[int, float, str]]:
    """`count` registrations, `concurrency` clients at once (each sends its next when answered)."""

    async def attempt(number: int) -> tuple[int, float, str]:
        status, data, elapsed = await send(
            port,
            "POST",
            f"/api/v1/seminars/{seminar_id}/registrations/",
            {
                "nom": f"Nom{number}",
                "prenom": "Camille",
                "email": f"{tag}-{number}@exemple.fr",
                "commune": COMMUNES[number % len(COMMUNES)],
                "fonction": "conseiller_municipal",
                "consent": True,
            },
        )
        outcome = json.loads(data).get("status", "") if status < 300 else ""
        return status, elapsed, outcome

    async def client(numbers) -> list[tuple[int, float, str]]:
        return [await attempt(number) for number in numbers]

    async def all_clients() -> list[tuple[int, float, str]]:
        # Client k sends attempts k, k + concurrency, ...: the first wave leaves at once.
        waves = await asyncio.gather(
            *(client(range(k, count, concurrency)) for k in range(concurrency))
        )
        return [result for wave in waves for result in wave]

    return asyncio.run(all_clients())


def run() -> None:
    from django_tasks_db.models import DBTaskResult

    from seminars.models import Registration

    port = int(os.environ.get("BENCH_PORT", "8765"))
    server = start_server(port, SERVER_SETTINGS)
    try:
        # Warm every worker: imports, the commune matcher's in-memory index, connections.
        warm = make_event("Bench – échauffement", 1000)
        attempts(port, warm.pk, 16, 64, "warm")
        for concurrency in CONCURRENCY:
            event = make_event(f"Bench – {concurrency} clients", SEATS)
            cpu_before, client_before = cpu_seconds_by_process(), time.process_time()
            wall_before = time.perf_counter()
            results = attempts(port, event.pk, concurrency, ATTEMPTS, f"c{concurrency}")
            wall = time.perf_counter() - wall_before
            client_cpu = time.process_time() - client_before
            cpu_after = cpu_seconds_by_process()
            latencies = [elapsed for _status, elapsed, _outcome in results]
            server_errors = sum(1 for status, _e, _o in results if status >= 500)
            confirmed = Registration.objects.filter(seminar=event, status="confirmed").count()
            waitlisted = Registration.objects.filter(seminar=event, status="waitlisted").count()
            report(
                f"{ATTEMPTS} registrations over HTTP, {SEATS} seats, {concurrency} at once",
                latencies,
                TARGET_MS,
            )
            verdict = "OK" if confirmed == SEATS and server_errors == 0 else "FAILED"
            print(
                f"  confirmed {confirmed} / {SEATS} seats, waitlisted {waitlisted}, "
                f"5xx {server_errors}, p95 {percentile(latencies, 0.95):.1f} ms  "
                f"no overbooking, no 5xx: {verdict}",
                flush=True,
            )
            print_cpu_share(cpu_before, cpu_after, client_cpu, wall)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    registrations = Registration.objects.count()
    start = time.perf_counter()
    run_worker()
    elapsed = time.perf_counter() - start
    emails = DBTaskResult.objects.filter(task_path="seminars.tasks.send_registration_email")
    sent = emails.filter(status="SUCCESSFUL").count()
    verdict = "OK" if sent == registrations == emails.count() else "FAILED"
    print(
        f"queued e-mails sent by db_worker: {sent} / {registrations} registrations "
        f"in {elapsed:.1f} s ({sent / elapsed:.0f} per second)  one e-mail each: {verdict}",
        flush=True,
    )


def print_cpu_share(
    before: dict[str, float], after: dict[str, float], client: float, wall: float
) -> None:
    """CPU milliseconds per registration: the server (gunicorn), PostgreSQL, this load generator.
    The three share the machine's cores, so their sum bounds the registrations per second; the
    share of the run's cores they kept busy tells how close the run came to that bound."""
    if not after:
        return
    server, database = (
        after.get(name, 0) - before.get(name, 0) for name in ("gunicorn", "postgres")
    )
    total = server + database + client
    print(
        f"  CPU per registration: server {server / ATTEMPTS * 1000:.2f} ms, "
        f"PostgreSQL {database / ATTEMPTS * 1000:.2f} ms, client {client / ATTEMPTS * 1000:.2f} ms"
        f" = {total / ATTEMPTS * 1000:.2f} ms, at most {ATTEMPTS / total * os.cpu_count():.0f} "
        f"registrations per second on {os.cpu_count()} cores; cores busy "
        f"{100 * total / (wall * os.cpu_count()):.0f} % of the {wall:.2f} s run",
        flush=True,
    )


def run_worker() -> None:
    """`manage.py db_worker --batch`, as production runs it, until the queue is empty."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS,
        "BENCH_DATABASE_URL": database_url(),
    }
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=open(LOG, "ab"),  # noqa: SIM115 – closed with the process
    )
