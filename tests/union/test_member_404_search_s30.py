"""A member host's 404 has the portal's search box (session 30): a GET form to the portal's
/recherche/, which the member host's Content-Security-Policy `form-action` lets leave for the
portal's host, and for nothing more than before."""

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings

from tests.conftest import host_client, make_person, member_client

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"
DEFAULT_PORTS = {"http": 80, "https": 443}


def directives(response) -> dict[str, list[str]]:
    directives = {}
    for part in response.headers[HEADER].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    return parts.scheme, parts.hostname, parts.port or DEFAULT_PORTS[parts.scheme]


def allows(sources: list[str], url: str, page_url: str) -> bool:
    """Whether a CSP source list lets a form of the page at `page_url` go to `url` (CSP Level 3's
    matching, for 'self' and host-sources with or without a scheme, a *. host, a * port)."""
    scheme, host, port = origin(url)
    for source in sources:
        if source == "'self'":
            if origin(page_url) == (scheme, host, port):
                return True
            continue
        source_scheme, _, rest = source.rpartition("://")
        if source_scheme and source_scheme != scheme:
            continue
        if not source_scheme and scheme not in ("http", "https"):
            continue
        source_host, _, source_port = rest.partition(":")
        if source_host.startswith("*."):
            host_ok = host.endswith(source_host[1:])
        else:
            host_ok = host == source_host
        if source_port == "*":
            port_ok = True
        elif source_port:
            port_ok = port == int(source_port)
        else:
            port_ok = port == DEFAULT_PORTS[scheme]
        if host_ok and port_ok:
            return True
    return False


def test_allows_reads_sources_as_a_browser():
    sources = ["'self'", "*.localhost:*"]
    page = "http://bondy.localhost/x/"
    assert allows(sources, "http://bondy.localhost/y/", page)
    assert allows(sources, "http://montreuil.localhost:8000/y/", page)
    assert not allows(sources, "http://localhost/recherche/", page)
    assert not allows(sources, "http://ailleurs.example/", page)


def test_a_member_hosts_404_has_the_portals_search_box(bondy, settings):
    settings.DEBUG = False
    client = member_client(bondy, make_person(bondy, "dir@bondy.test"))
    response = client.get("/nimportequoi/")
    assert response.status_code == 404
    main = BeautifulSoup(response.content.decode(), "html.parser").main
    form = main.find("form", role="search")
    assert form is not None
    assert (form["method"], form["action"]) == ("get", "http://localhost/recherche/")
    field = form.find("input", attrs={"name": "q"})
    assert field["type"] == "search"
    label = form.find("label", attrs={"for": field["id"]})
    assert label is not None and label.get_text(strip=True) == "Rechercher sur le portail"
    assert form.find("button", type="submit").get_text(strip=True) == "Rechercher"
    # The space's dashboard and the portal's guides and calendar stay linked.
    links = {a["href"] for a in main.find_all("a")}
    assert {"/", "http://localhost/guides/", "http://localhost/evenements/"} <= links

    # The CSP of that answer lets the form leave for the portal's host…
    page_url = f"http://{bondy.domain_name}/nimportequoi/"
    sources = directives(response)["form-action"]
    assert allows(sources, form["action"], page_url)
    # …and names nothing else than before: this host, the member hosts, the portal's host.
    domain = django_settings.PLATFORM_DOMAIN
    assert sources == ["'self'", f"{domain}:*", f"*.{domain}:*"]
    assert not allows(sources, "https://ailleurs.example/recherche/", page_url)

    # The portal answers the form (the member URLconf has no /recherche/).
    assert host_client("localhost").get("/recherche/", {"q": "domiciliation"}).status_code == 200
    assert client.get("/recherche/", {"q": "domiciliation"}).status_code == 404
