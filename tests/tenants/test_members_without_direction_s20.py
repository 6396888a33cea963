"""The administrators' admin home counts the active members that have no direction account at
all (« Membres sans direction (N) ») and leads to the members list filtered on them, where each
row offers « Inviter la direction ». Real HTTP through the test client; bondy and montreuil's
schemas have colliding primary keys (memberships live in the public schema)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tenants.models import MemberCCAS
from tenants.services import set_member_status
from tests.conftest import PASSWORD, host_client, make_member, make_person
from union import roles

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def editor():
    user = User.objects.create_user("editeur@union.test", "editeur@union.test", PASSWORD)
    user.groups.add(Group.objects.get(name=roles.EDITOR))
    return host_client("localhost", user)


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def words(tag) -> str:
    return " ".join(tag.get_text(" ").split())


@pytest.fixture
def federation(bondy, montreuil):
    """Bondy has a direction; Montreuil none; Aubervilliers only a deactivated one; a suspended
    member without direction is not counted (its space is closed)."""
    make_person(bondy, "dir@bondy.test")
    make_person(montreuil, "agent@montreuil.test", role="agent")
    aubervilliers = make_member("93001")
    gone = make_person(aubervilliers, "ancienne@auber.test")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    suspended = make_member("93055")
    set_member_status(suspended, MemberCCAS.Status.SUSPENDED)
    return bondy, montreuil, aubervilliers, suspended


def test_the_admin_home_counts_members_without_direction_and_links_to_them(
    federation, admin, editor
):
    bondy, montreuil, aubervilliers, suspended = federation
    panel = soup_of(admin.get("/admin/")).find(id="federation-section")
    heading = panel.find(lambda tag: tag.name == "h3" and "sans direction" in tag.get_text())
    assert words(heading) == "Membres sans direction (2)"
    link = heading.find_next("a")
    assert words(link) == "voir la liste et inviter leur direction"
    assert link["href"] == "/admin/membres/?statut=active&direction=aucune"

    listing = soup_of(admin.get(link["href"]))
    caption = listing.find("caption", string=lambda text: text and "membre" in text)
    assert words(caption) == "2 membres (actifs, sans direction)"
    table = caption.find_parent("table")
    rows = {words(row.th.a): row for row in table.tbody.find_all("tr")}
    assert set(rows) == {montreuil.name, aubervilliers.name}
    # The filter is kept in the form, and each row offers the invitation.
    assert listing.find("input", id="direction").has_attr("checked")
    assert listing.find("label", attrs={"for": "direction"}) is not None
    for member in (montreuil, aubervilliers):
        invite = rows[member.name].find("a", href=f"/admin/membres/{member.pk}/#inviter")
        assert invite is not None
        assert words(invite).startswith("Inviter la direction")
    # The invitation form is where the link leads.
    detail = soup_of(admin.get(f"/admin/membres/{montreuil.pk}/"))
    assert detail.find(id="inviter") is not None
    assert detail.find("form", action=f"/admin/membres/{montreuil.pk}/direction/") is not None

    # Without the filter, Bondy is listed and has no invitation link.
    everyone = soup_of(admin.get("/admin/membres/"))
    assert everyone.find("a", href=f"/admin/membres/{bondy.pk}/#inviter") is None
    assert everyone.find("a", href=f"/admin/membres/{suspended.pk}/#inviter") is None

    # For administrators only: Wagtail's admin turns the refusal into a redirect to its home.
    assert "Membres sans direction" not in editor.get("/admin/").content.decode()
    refused = editor.get("/admin/membres/?direction=aucune")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"


def test_no_member_without_direction_is_said(bondy, admin):
    make_person(bondy, "dir@bondy.test")
    panel = soup_of(admin.get("/admin/")).find(id="federation-section")
    text = words(panel)
    assert "Membres sans direction (0)" in text
    assert "Chaque membre actif a une direction." in text


def test_the_caption_says_the_search_too(federation, admin):
    """s21: a typed search narrowed the list while its caption said « 1 membre » alone."""
    _bondy, montreuil, _aubervilliers, _suspended = federation
    listing = soup_of(admin.get("/admin/membres/", {"q": "Montreuil"}))
    caption = listing.find("caption", string=lambda text: text and "membre" in text)
    assert words(caption) == "1 membre (recherche « Montreuil »)"
