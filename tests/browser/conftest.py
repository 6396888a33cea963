"""Browser tests: Playwright driving Debian's Chromium against a real threaded server.

The server runs in a thread of the test process; each of its requests opens its own database
connection, so it sees committed data only. Tests here commit what they need with
`tests.conftest.run_committed` and remove it afterwards.
"""

import mimetypes
import os
import shutil
import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.contrib.staticfiles import finders
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections

from tests.conftest import PASSWORD

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    return next((path for path in CHROMIUM_CANDIDATES if shutil.which(path)), None)


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class ClosingWSGIHandler(WSGIHandler):
    """Close this thread's database connection after each request, as a real server would."""

    def __call__(self, environ, start_response):
        try:
            return super().__call__(environ, start_response)
        finally:
            connections.close_all()


def serve_static(route):
    """Answer the browser's requests for /static/ from the apps' static folders, as
    `collectstatic` would gather them: the test server does not serve static files, and a page
    without its CSS would be checked for contrast or focus rings it does not really have.
    Use: `page.route("**/static/**", serve_static)`."""
    path = route.request.url.split("/static/", 1)[1].split("?")[0]
    found = finders.find(path)
    if not found:
        route.fulfill(status=404)
        return
    content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
    route.fulfill(status=200, body=Path(found).read_bytes(), content_type=content_type)


def sign_in(page, base_url: str, email: str) -> None:
    """Fill and send the sign-in form of `base_url` (the portal, or a member's host) and wait for
    the page it leads to."""
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Identifiant (adresse e-mail)").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


@pytest.fixture(scope="session")
def live_server_port(django_db_setup):
    server = make_server(
        "127.0.0.1",
        0,
        ClosingWSGIHandler(),
        server_class=ThreadingWSGIServer,
        handler_class=QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip(
            "Chromium introuvable : installez le paquet Debian « chromium » "
            "(apt-get install chromium) ou indiquez CHROMIUM_PATH."
        )
    from playwright.sync_api import sync_playwright

    # Django refuses ORM calls while an event loop runs in the thread; Playwright's sync API runs one.
    # Restored afterwards: a subprocess started later (e.g. `check --deploy`) must not inherit it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from launch_chromium(sync_playwright, path)
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def launch_chromium(sync_playwright, path):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()
