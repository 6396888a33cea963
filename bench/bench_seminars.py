"""200 concurrent registration attempts over HTTP on 50 seats, against a running server.

A real server (gunicorn, production-like settings, several workers and threads) is started on the
benchmark's database; clients post to the API from a pool of threads. Checks: exactly 50 confirmed
(zero overbooking), zero 5xx; prints median and p95 latency against the target (median < 150 ms).
"""

import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone

from bench.harness import percentile, report

ATTEMPTS = 200
SEATS = 50
CONCURRENCY = (1, 10, 50)  # client threads sending at once
TARGET_MS = 150
WORKERS, THREADS = 2, 8
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
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    payload = json.dumps(body).encode() if body is not None else None
    headers = {"Host": "localhost", "Content-Type": "application/json"}
    start = time.perf_counter()
    connection.request(method, path, body=payload, headers=headers)
    response = connection.getresponse()
    data = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    connection.close()
    return response.status, data, elapsed


def make_event(title: str, seats: int):
    from seminars.demo import ensure_index
    from seminars.models import SeminarPage

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
    ensure_index().add_child(instance=page)
    page.save_revision().publish()
    return page


COMMUNES = ["Bondy", "MONTREUIL", "ST DENIS", "93001", "Noisy le Sec", "Pantin", "Créteil"]


def attempts(
    port: int, seminar_id: int, concurrency: int, count: int, tag: str
) -> list[tuple[int, float, str]]:
    barrier = threading.Barrier(concurrency)

    def attempt(number: int):
        if number < concurrency:
            barrier.wait()
        status, data, elapsed = request(
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

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(attempt, range(count)))


SERVERS = {
    "e-mails sent in the request (immediate task backend)": "union.settings.bench",
    "e-mails queued for a worker": "bench.seminars_server_settings",
}


def run() -> None:
    port = int(os.environ.get("BENCH_PORT", "8765"))
    for label, settings_module in SERVERS.items():
        print(f"-- server: {label}", flush=True)
        measure(port, settings_module)


def measure(port: int, settings_module: str) -> None:
    from seminars.models import Registration

    server = start_server(port, settings_module)
    try:
        # Warm every worker: imports, the commune matcher's in-memory index, connections.
        warm = make_event("Bench – échauffement", 1000)
        attempts(port, warm.pk, 16, 64, "warm")
        for concurrency in CONCURRENCY:
            event = make_event(f"Bench – {concurrency} clients", SEATS)
            results = attempts(port, event.pk, concurrency, ATTEMPTS, f"c{concurrency}")
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
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
