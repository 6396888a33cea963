"""« Écrire aux membres » to one intercommunality (session 38): the CCAS of its communes and its
own CIAS, as a union writes to the members of one territory (an EPT of the Métropole du Grand
Paris here, Est Ensemble: Bondy and Montreuil; Plaine Commune: Aubervilliers). The filter is kept
in the union's trail with the others."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from tenants.models import Commune, MemberCCAS
from tests.conftest import make_member, make_person
from tests.tenants import test_network_message_s37 as s37
from tests.tenants.test_network_message_s37 import URL, recipients, send
from union.models import AuditEntry

pytestmark = pytest.mark.django_db

# The s37 file's fixtures, used here under the same names.
contact, network = s37.contact, s37.network


def test_an_intercommunality_reaches_its_communes_ccas_and_its_cias(
    admin, network, django_capture_on_commit_callbacks
):
    est_ensemble = Commune.objects.get(code="93010").ept_id
    plaine_commune = Commune.objects.get(code="93001").ept_id
    assert est_ensemble and plaine_commune and est_ensemble != plaine_commune
    cias = make_member("93010", kind=MemberCCAS.Kind.CIAS, epci_siren=est_ensemble)
    make_person(cias, "direction@est-ensemble.test")
    make_person(make_member("93001"), "direction@aubervilliers.test")

    form = BeautifulSoup(admin.get(URL).content.decode(), "html.parser")
    offered = [
        o.get_text() for o in form.find("select", attrs={"name": "intercommunality"})("option")
    ]
    assert offered[0] == "Toutes"
    assert "Est Ensemble (EPT)" in offered and "Plaine Commune (EPT)" in offered

    send(admin, django_capture_on_commit_callbacks, intercommunality=est_ensemble)
    assert recipients() == [
        "claire@bondy.test",
        "direction@est-ensemble.test",
        "paul@montreuil.test",
    ]
    entry = AuditEntry.objects.filter(action="network.emailed").latest("pk")
    assert entry.details["intercommunality"] == est_ensemble

    mail.outbox = []
    send(
        admin,
        django_capture_on_commit_callbacks,
        intercommunality=plaine_commune,
        form_id="formulaire-plaine-commune-1",
    )
    assert recipients() == ["direction@aubervilliers.test"]


def test_an_unknown_intercommunality_is_refused_with_the_form_kept(admin, network):
    response = admin.post(
        URL,
        {"whom": "directions", "subject": "Objet gardé", "body": "Texte", "intercommunality": "1"},
    )
    assert response.status_code == 400
    assert 'value="Objet gardé"' in response.content.decode()
