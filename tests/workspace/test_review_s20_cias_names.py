"""Session 20: a CIAS is never called a CCAS by the API's refusals nor by its archive (its
LISEZ-MOI names each file after the member's kind); a CCAS keeps « CCAS ». Real requests; the
CIAS and the CCAS of Bondy side by side."""

import io
import zipfile

import pytest

from tenants.models import MemberCCAS, Membership
from tests.conftest import make_member, make_person, member_client

pytestmark = pytest.mark.django_db

GRAND_PARIS_GRAND_EST = "200058790"


@pytest.fixture
def cias(db) -> MemberCCAS:
    return make_member("93051", kind=MemberCCAS.Kind.CIAS, epci_siren=GRAND_PARIS_GRAND_EST)


def readme_of(client) -> str:
    response = client.get("/donnees/archive.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return archive.read("LISEZ-MOI.txt").decode("utf-8-sig")


def test_the_archive_of_a_cias_says_cias(cias, bondy):
    readme = readme_of(member_client(cias, make_person(cias, "d@cias.test")))
    assert "profil/fiche-identite.csv : La fiche d'identité du CIAS (page Profil)" in readme
    assert "evenements/inscriptions.csv : Les personnes que le CIAS a inscrites" in readme
    assert "CCAS" not in readme.replace("UDCCAS", "")
    # Bondy's CCAS keeps its word.
    readme = readme_of(member_client(bondy, make_person(bondy, "d@bondy.test")))
    assert "La fiche d'identité du CCAS (page Profil)" in readme
    assert "Les personnes que le CCAS a inscrites" in readme and "CIAS" not in readme


@pytest.mark.parametrize(
    ("method", "path", "role", "message"),
    [
        ("post", "/api/v1/observations/validate", Membership.Role.AGENT, "à la direction"),
        ("get", "/api/v1/observations/", None, "aux personnes habilitées"),
        ("get", "/api/v1/activity/", None, "aux personnes habilitées"),
    ],
)
def test_the_apis_refusals_name_the_members_kind(cias, bondy, method, path, role, message):
    for member, kind in ((cias, "CIAS"), (bondy, "CCAS")):
        if role is None:  # someone of another member's space: no role here
            other = bondy if member is cias else cias
            user = make_person(other, f"o{member.pk}@{other.slug}.test")
        else:
            user = make_person(member, f"a@{member.slug}.test", role)
        client = member_client(member, user)
        if method == "post":
            response = client.post(path, {"year": 2021}, content_type="application/json")
        else:
            response = client.get(path)
        assert response.status_code == 403, (member, response.status_code)
        assert response.json()["detail"] == f"Réservé {message} de ce {kind}."
