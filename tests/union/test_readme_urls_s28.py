"""Every URL README.md promises, opened as the role of its table row, on the whole demo.

The persona: the person who judges Maillage for the union reads README.md, runs `make demo`,
signs in with each account of « Comptes de démonstration » (password `Maillage-demo-2026`) and
opens each address the README's tables and lists give for that role. A 5xx, a 404 for a promised
address, an English page, or a role let in where the README says it must not be, is a defect.

The demo is `manage.py demo` itself (what `make demo` loads: 40 members, the union's team), once
for the module, inside a transaction rolled back at the end (as tests/union/test_demo.py loads it
inside its test's): nothing is committed, nothing to clean up. Each account signs in through its
host's real `/connexion/` form with the README's password.

`URLS` is the table: README's form of the address, the concrete path (placeholders filled from
the demo's own objects), the host, the role, and what must happen. `test_the_table_covers_the_
readme` reads README.md again and fails on an address in backticks the table does not cover.
"""

import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django_tenants.utils import schema_context

from abs_shared.models import PublishedValue
from knowledge_base.models import ExperiencePage
from seminars.check_in import check_in_code
from seminars.demo import DOOR_EVENT
from seminars.links import make_token, page_path
from seminars.models import PRESENT, Evaluation, Registration, SeminarPage
from tenants.models import MemberCCAS
from tests.conftest import plain
from union.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"

# The README's « Comptes de démonstration »: role → (account, host it signs in on).
ACCOUNTS = {
    "admin": ("admin@udccas93.demo", "localhost"),
    "editrice": ("editrice@udccas93.demo", "localhost"),
    "moderateur": ("moderateur@udccas93.demo", "localhost"),
    "organisatrice": ("organisatrice@udccas93.demo", "localhost"),
    "accueil": ("accueil@udccas93.demo", "localhost"),
    "direction": ("direction@ccas-bondy.demo", "bondy.localhost"),
    "agent": ("agent@ccas-bondy.demo", "bondy.localhost"),
    "lecture": ("lecture@ccas-bondy.demo", "bondy.localhost"),
    "direction-montreuil": ("direction@ccas-montreuil.demo", "montreuil.localhost"),
    "direction-saint-denis": ("direction@ccas-saint-denis.demo", "saint-denis.localhost"),
    "direction-cias": (
        "direction@cias-grand-paris-grand-est.demo",
        "cias-grand-paris-grand-est.localhost",
    ),
    # The same director on the portal (« Mes espaces », « Mon compte » there).
    "direction-portail": ("direction@ccas-bondy.demo", "localhost"),
}
HOSTS = {
    "portail": "localhost",
    "bondy": "bondy.localhost",
    "montreuil": "montreuil.localhost",
    "saint-denis": "saint-denis.localhost",
    "cias": "cias-grand-paris-grand-est.localhost",
}

OK = 200
REFUSED = "refusé"  # 403, or sent to a sign-in page: never the page itself
LOGIN = "connexion"  # anonymous: sent to the sign-in page

# (README's form, concrete path, host, role, expected). Placeholders: the demo's objects (`DEMO`).
# Roles: "anonyme" or a key of ACCOUNTS (signed in on the row's host).
URLS = [
    # « Adresses » — portal.
    ("/", "/", "portail", "anonyme", OK),
    ("/mentions-legales/", "/mentions-legales/", "portail", "anonyme", OK),
    ("/accessibilite/", "/accessibilite/", "portail", "anonyme", OK),
    ("/contact/", "/contact/", "portail", "anonyme", OK),
    ("/donnees-personnelles/", "/donnees-personnelles/", "portail", "anonyme", OK),
    ("/guides/", "/guides/", "portail", "anonyme", OK),
    ("/experiences/", "/experiences/", "portail", "anonyme", OK),
    ("/recherche/", "/recherche/", "portail", "anonyme", OK),
    ("/recherche/?q=…", "/recherche/?q=RSA", "portail", "anonyme", OK),
    ("/glossaire/", "/glossaire/", "portail", "anonyme", OK),
    ("/flux/rss/", "/flux/rss/", "portail", "anonyme", OK),
    ("/flux/atom/", "/flux/atom/", "portail", "anonyme", OK),
    ("/evenements/", "/evenements/", "portail", "anonyme", OK),
    ("/evenements/?vue=mois&mois=2026-12", "/evenements/?vue=mois&mois=2026-12", "portail",
     "anonyme", OK),
    ("/evenements/calendrier.ics", "/evenements/calendrier.ics", "portail", "anonyme", OK),
    ("/evenements/ics/<id>.ics", "/evenements/ics/{upcoming}.ics", "portail", "anonyme", OK),
    ("/evenements/<slug>/", "{upcoming_path}", "portail", "anonyme", OK),
    ("/evenements/<slug>/", "{members_only_path}", "portail", "anonyme", OK),
    ("/evenements/<slug>/?invitation=<clé>", "{invitation_path}?invitation={invitation_key}",
     "portail", "anonyme", OK),
    # The deliberate 404: an invitation-only event without its key.
    ("/evenements/<slug>/?invitation=<clé>", "{invitation_path}", "portail", "anonyme", 404),
    ("/evenements/inscription/<jeton>/", "/evenements/inscription/{token}/", "portail",
     "anonyme", OK),
    ("/evenements/inscription/<jeton>/attestation.pdf",
     "/evenements/inscription/{past_token}/attestation.pdf", "portail", "anonyme", OK),
    ("/evenements/inscription/<jeton>/avis/", "/evenements/inscription/{evaluate_token}/avis/",
     "portail", "anonyme", OK),
    ("/evenements/inscription/<jeton>/agenda.ics", "/evenements/inscription/{token}/agenda.ics",
     "portail", "anonyme", OK),
    ("/evenements/<id>/nouveau-lien/", "/evenements/{upcoming}/nouveau-lien/", "portail",
     "anonyme", OK),
    ("/evenements/mes-inscriptions/", "/evenements/mes-inscriptions/", "portail", "anonyme", OK),
    ("/indicateurs/", "/indicateurs/", "portail", "anonyme", OK),
    ("/indicateurs/<CODE>/", "/indicateurs/{code}/", "portail", "anonyme", OK),
    ("/indicateurs/communes/", "/indicateurs/communes/", "portail", "anonyme", OK),
    ("/indicateurs/communes/<insee>/", "/indicateurs/communes/{insee}/", "portail", "anonyme",
     OK),
    ("/indicateurs/communes/<insee>/", "/indicateurs/communes/{insee}/?export=pdf", "portail",
     "anonyme", OK),
    ("/indicateurs/communes/<insee>/<CODE>/",
     "/indicateurs/communes/{insee}/{code}/?avec={other_insee}", "portail", "anonyme", OK),
    ("/indicateurs/intercommunalites/<SIREN>/", "/indicateurs/intercommunalites/{siren}/",
     "portail", "anonyme", OK),
    ("/indicateurs/intercommunalites/<SIREN>/<CODE>/",
     "/indicateurs/intercommunalites/{siren}/{code}/", "portail", "anonyme", OK),
    ("/membres/", "/membres/", "portail", "anonyme", OK),
    ("/connexion/", "/connexion/", "portail", "anonyme", OK),
    ("/sante/", "/sante/", "portail", "anonyme", OK),
    ("/sitemap.xml", "/sitemap.xml", "portail", "anonyme", OK),
    ("/robots.txt", "/robots.txt", "portail", "anonyme", OK),
    ("/robots.txt", "/robots.txt", "bondy", "anonyme", OK),
    ("/compte/", "/compte/", "portail", "anonyme", LOGIN),
    ("/compte/", "/compte/", "portail", "direction-portail", OK),
    ("/compte/profil/", "/compte/profil/", "portail", "direction-portail", OK),
    ("/compte/mot-de-passe/", "/compte/mot-de-passe/", "portail", "direction-portail", OK),
    ("/compte/mot-de-passe/oublie/", "/compte/mot-de-passe/oublie/", "portail", "anonyme", OK),
    # The admin: the union's team only.
    ("/admin/", "/admin/", "portail", "anonyme", LOGIN),
    ("/admin/login/", "/admin/login/", "portail", "anonyme", OK),
    *[("/admin/", "/admin/", "portail", role, OK) for role in (
        "admin", "editrice", "moderateur", "organisatrice", "accueil")],
    ("/admin/", "/admin/", "portail", "direction-portail", REFUSED),
    *[("/admin/aide/", "/admin/aide/", "portail", role, OK) for role in (
        "admin", "editrice", "moderateur", "organisatrice", "accueil")],
    ("/django-admin/", "/django-admin/", "portail", "admin", OK),
    ("/django-admin/", "/django-admin/", "portail", "editrice", REFUSED),
    ("/django-admin/", "/django-admin/", "portail", "accueil", REFUSED),
    ("/admin/membres/", "/admin/membres/", "portail", "admin", OK),
    ("/admin/membres/?statut=active&direction=aucune",
     "/admin/membres/?statut=active&direction=aucune", "portail", "admin", OK),
    ("/admin/membres/", "/admin/membres/", "portail", "editrice", REFUSED),
    ("/admin/membres/", "/admin/membres/", "portail", "organisatrice", REFUSED),
    ("/admin/membres/<id>/", "/admin/membres/{bondy_id}/", "portail", "admin", OK),
    ("/admin/membres/<id>/", "/admin/membres/{cias_id}/", "portail", "admin", OK),
    ("/admin/users/", "/admin/users/", "portail", "admin", OK),
    ("/admin/inscriptions/", "/admin/inscriptions/", "portail", "organisatrice", OK),
    ("/admin/inscriptions/", "/admin/inscriptions/", "portail", "admin", OK),
    ("/admin/inscriptions/", "/admin/inscriptions/", "portail", "accueil", REFUSED),
    ("/admin/inscriptions/", "/admin/inscriptions/", "portail", "moderateur", REFUSED),
    ("/admin/inscriptions/", "/admin/inscriptions/{upcoming}/", "portail", "organisatrice", OK),
    ("/admin/inscriptions/", "/admin/inscriptions/{upcoming}/", "portail", "accueil", REFUSED),
    ("/admin/inscriptions/", "/admin/inscriptions/{upcoming}/?accueil=1", "portail",
     "organisatrice", OK),
    ("/admin/inscriptions/bilan/?annee=2026", "/admin/inscriptions/bilan/?annee=2026", "portail",
     "organisatrice", OK),
    ("/admin/inscriptions/personne/?email=…",
     "/admin/inscriptions/personne/?email={registrant_email}", "portail", "organisatrice", OK),
    ("/admin/inscriptions/personne/?email=…",
     "/admin/inscriptions/personne/?email={registrant_email}", "portail", "accueil", REFUSED),
    ("/admin/inscriptions/personne/anonymiser/",
     "/admin/inscriptions/personne/anonymiser/?email={registrant_email}", "portail",
     "organisatrice", OK),
    ("/admin/users/effacer/<id>/", "/admin/users/effacer/{viewer_user}/", "portail", "admin", OK),
    ("/admin/users/effacer/<id>/", "/admin/users/effacer/{viewer_user}/", "portail", "editrice",
     REFUSED),
    ("/admin/inscriptions/emargement/<code>/", "/admin/inscriptions/emargement/{scan_code}/",
     "portail", "organisatrice", OK),
    ("/admin/inscriptions/accueil/", "/admin/inscriptions/accueil/", "portail", "accueil", OK),
    ("/admin/inscriptions/accueil/", "/admin/inscriptions/accueil/", "portail", "organisatrice",
     OK),
    ("/admin/inscriptions/accueil/", "/admin/inscriptions/accueil/", "portail", "editrice",
     REFUSED),
    ("/admin/inscriptions/accueil/<id>/", "/admin/inscriptions/accueil/{upcoming}/", "portail",
     "organisatrice", OK),
    # The demo's event of the day (seminars.demo.DOOR_EVENT, brought back to today each time the
    # demo is loaded) opens at the desk; the upcoming atelier, weeks away, is not the desk's days,
    # so refused (README: « (403) »), with the reason seminars.door_access gives.
    ("/admin/inscriptions/accueil/<id>/", "/admin/inscriptions/accueil/{today}/", "portail",
     "accueil", OK),
    ("/admin/inscriptions/accueil/<id>/", "/admin/inscriptions/accueil/{upcoming}/", "portail",
     "accueil", (403, "n'ouvre que les événements de la veille, du jour et du lendemain")),
    ("/admin/reports/guides-a-relire/", "/admin/reports/guides-a-relire/", "portail", "editrice",
     OK),
    ("/admin/reports/tableaux-a-completer/", "/admin/reports/tableaux-a-completer/", "portail",
     "editrice", OK),
    ("/admin/abs_indicators/", "/admin/abs_indicators/", "portail", "admin", OK),
    ("/admin/abs_indicators/", "/admin/abs_indicators/", "portail", "editrice", OK),
    ("/admin/abs_indicators/", "/admin/abs_indicators/", "portail", "moderateur", REFUSED),
    ("/admin/abs/references/", "/admin/abs/references/", "portail", "admin", OK),
    ("/admin/abs/references/", "/admin/abs/references/", "portail", "editrice", OK),
    ("/admin/abs/references/", "/admin/abs/references/", "portail", "organisatrice", REFUSED),
    # API (portal): the GETs the README lists as public.
    ("/api/schema/", "/api/schema/", "portail", "anonyme", OK),
    ("/api/docs/", "/api/docs/", "portail", "anonyme", OK),
    ("GET /api/v1/seminars/", "/api/v1/seminars/?upcoming=1", "portail", "anonyme", OK),
    ("GET /api/v1/seminars/{id}/", "/api/v1/seminars/{upcoming}/", "portail", "anonyme", OK),
    ("/api/v1/guides/", "/api/v1/guides/", "portail", "anonyme", OK),
    ("/api/v1/experiences/", "/api/v1/experiences/", "portail", "anonyme", OK),
    ("GET /api/v1/indicators/", "/api/v1/indicators/", "portail", "anonyme", OK),
    ("GET /api/v1/indicators/<code>/", "/api/v1/indicators/{code}/", "portail", "anonyme", OK),
    ("GET /api/v1/comparison/?commune=<INSEE>&indicator=<code>&year=<année>",
     "/api/v1/comparison/?commune={insee}&indicator={code}&year={abs_year}", "portail",
     "anonyme", OK),
    ("GET /api/v1/series/?commune=<INSEE>&indicator=<code>",
     "/api/v1/series/?commune={insee}&indicator={code}", "portail", "anonyme", OK),
    ("/api/v1/communes/", "/api/v1/communes/?q=Bondy", "portail", "anonyme", OK),
    ("GET /api/v1/communes/?q=&hint=", "/api/v1/communes/?q=Montreuil&hint=93", "portail",
     "anonyme", OK),
    ("GET /api/v1/seminars/{id}/registrations/", "/api/v1/seminars/{upcoming}/registrations/",
     "portail", "organisatrice", OK),
    ("GET /api/v1/seminars/{id}/registrations/", "/api/v1/seminars/{upcoming}/registrations/",
     "portail", "anonyme", REFUSED),
    ("GET /api/v1/seminars/{id}/registrations/{rid}/",
     "/api/v1/seminars/{upcoming}/registrations/{bondy_registration}/", "portail", "organisatrice",
     OK),
    ("GET /api/v1/seminars/{id}/registrations/{rid}/",
     "/api/v1/seminars/{upcoming}/registrations/{bondy_registration}/", "portail", "anonyme",
     REFUSED),
    ("GET /api/v1/seminars/{id}/registrations/export?format=csv|xlsx|pdf[&atelier=<id>]",
     "/api/v1/seminars/{upcoming}/registrations/export?format=xlsx", "portail", "organisatrice",
     OK),
    ("GET /api/v1/seminars/{id}/evaluations/", "/api/v1/seminars/{past}/evaluations/", "portail",
     "organisatrice", OK),
    ("GET /api/v1/seminars/report/?year=", "/api/v1/seminars/report/?year={past_year}",
     "portail", "organisatrice", OK),
    # Member space (Bondy): « L'espace membre d'un CCAS/CIAS », direction / agent / lecture seule.
    ("/", "/", "bondy", "anonyme", LOGIN),
    *[("/", "/", "bondy", role, OK) for role in ("direction", "agent", "lecture")],
    *[("/profil/", "/profil/", "bondy", role, OK) for role in ("direction", "agent", "lecture")],
    ("/profil/modifier/", "/profil/modifier/", "bondy", "direction", OK),
    ("/profil/modifier/", "/profil/modifier/", "bondy", "agent", OK),
    ("/profil/modifier/", "/profil/modifier/", "bondy", "lecture", REFUSED),
    ("/premiers-pas/masquer/", "/premiers-pas/masquer/", "bondy", "direction", 405),  # a button
    *[("/conseil/", "/conseil/", "bondy", role, OK) for role in ("direction", "agent", "lecture")],
    ("/conseil/mandats/<id>/", "/conseil/mandats/{past_mandate}/", "bondy", "lecture", OK),
    ("/conseil/mandats/<id>/modifier/", "/conseil/mandats/{mandate}/modifier/", "bondy",
     "direction", OK),
    ("/conseil/mandats/<id>/modifier/", "/conseil/mandats/{mandate}/modifier/", "bondy",
     "lecture", REFUSED),
    ("/conseil/renouveler/", "/conseil/renouveler/", "bondy", "direction", OK),
    ("/conseil/renouveler/", "/conseil/renouveler/", "bondy", "agent", REFUSED),
    ("/conseil/renouveler/", "/conseil/renouveler/", "bondy", "lecture", REFUSED),
    ("/conseil/export.{csv,xlsx}", "/conseil/export.csv", "bondy", "lecture", OK),
    ("/conseil/export.{csv,xlsx}", "/conseil/export.xlsx", "bondy", "lecture", OK),
    ("/conseil/mandats/<id>/export.{csv,xlsx}", "/conseil/mandats/{past_mandate}/export.csv",
     "bondy", "lecture", OK),
    ("/conseil/mandats/<id>/export.{csv,xlsx}", "/conseil/mandats/{past_mandate}/export.xlsx",
     "bondy", "lecture", OK),
    ("/conseil/seances/", "/conseil/seances/", "bondy", "lecture", OK),
    ("/conseil/seances/ajouter/", "/conseil/seances/ajouter/", "bondy", "agent", OK),
    ("/conseil/seances/ajouter/", "/conseil/seances/ajouter/", "bondy", "lecture", REFUSED),
    ("/conseil/seances/<id>/", "/conseil/seances/{meeting}/", "bondy", "lecture", OK),
    ("/conseil/seances/<id>/modifier/", "/conseil/seances/{meeting}/modifier/", "bondy",
     "agent", OK),
    ("/conseil/seances/<id>/supprimer/", "/conseil/seances/{meeting}/supprimer/", "bondy",
     "direction", OK),
    ("/conseil/seances/<id>/supprimer/", "/conseil/seances/{meeting}/supprimer/", "bondy",
     "agent", REFUSED),
    ("/conseil/seances/<id>/feuille-de-presence.pdf",
     "/conseil/seances/{meeting}/feuille-de-presence.pdf", "bondy", "lecture", OK),
    ("/conseil/seances/<id>/convocations.pdf",
     "/conseil/seances/{meeting}/convocations.pdf", "bondy", "lecture", OK),
    ("/conseil/seances/<id>/convocation-papier/",
     "/conseil/seances/{meeting}/convocation-papier/", "bondy", "agent", OK),
    ("/conseil/seances/<id>/convocation-papier/",
     "/conseil/seances/{meeting}/convocation-papier/", "bondy", "lecture", REFUSED),
    ("/activite/", "/activite/", "bondy", "lecture", OK),
    ("/activite/?annee=2025", "/activite/?annee=2025", "bondy", "lecture", OK),
    ("/activite/saisir/", "/activite/saisir/", "bondy", "agent", OK),
    ("/activite/saisir/", "/activite/saisir/", "bondy", "lecture", REFUSED),
    ("/activite/importer/", "/activite/importer/", "bondy", "direction", OK),
    ("/activite/importer/", "/activite/importer/", "bondy", "lecture", REFUSED),
    *[("/activite/export.{csv,xlsx,pdf}?annee=2025", f"/activite/export.{fmt}?annee=2025",
       "bondy", "lecture", OK) for fmt in ("csv", "xlsx", "pdf")],
    ("/activite/modele.csv", "/activite/modele.csv", "bondy", "agent", OK),
    *[("/activite/domiciliation/?annee=2025", "/activite/domiciliation/?annee=2025", "bondy",
       role, OK) for role in ("direction", "agent", "lecture")],
    *[("/equipe/", "/equipe/", "bondy", role, OK) for role in ("direction", "agent", "lecture")],
    *[("/documents/", "/documents/", "bondy", role, OK) for role in (
        "direction", "agent", "lecture")],
    *[(f"/documents/<id>/{action}/", f"/documents/{{document}}/{action}/", "bondy", role, expect)
      for action in ("modifier", "remplacer", "supprimer")
      for role, expect in (("direction", OK), ("lecture", REFUSED))],
    *[(path, path, "bondy", role, OK) for path in ("/compte/profil/", "/compte/mot-de-passe/")
      for role in ("direction", "agent", "lecture")],
    ("/journal/", "/journal/", "bondy", "direction", OK),
    ("/journal/", "/journal/", "bondy", "agent", REFUSED),
    ("/journal/", "/journal/", "bondy", "lecture", REFUSED),
    ("/donnees/", "/donnees/", "bondy", "direction", OK),
    ("/donnees/", "/donnees/", "bondy", "agent", REFUSED),
    ("/donnees/", "/donnees/", "bondy", "lecture", REFUSED),
    ("/donnees/archive.zip", "/donnees/archive.zip", "bondy", "direction", OK),
    ("/donnees/archive.zip", "/donnees/archive.zip", "bondy", "agent", REFUSED),
    ("/evenements/<id>/inscrire/", "/evenements/{upcoming}/inscrire/", "bondy", "direction", OK),
    ("/evenements/<id>/inscrire/", "/evenements/{upcoming}/inscrire/", "bondy", "agent", OK),
    ("/evenements/<id>/inscrire/", "/evenements/{upcoming}/inscrire/", "bondy", "lecture",
     REFUSED),
    ("/evenements/<id>/inscriptions/<n°>/desinscrire/",
     "/evenements/{upcoming}/inscriptions/{bondy_registration}/desinscrire/", "bondy",
     "direction", OK),
    ("/evenements/<id>/inscriptions/<n°>/desinscrire/",
     "/evenements/{upcoming}/inscriptions/{bondy_registration}/desinscrire/", "bondy", "lecture",
     REFUSED),
    # ABS on the member host.
    *[("/abs/", "/abs/", "bondy", role, OK) for role in ("direction", "agent", "lecture")],
    ("/abs/observations/ajouter/", "/abs/observations/ajouter/", "bondy", "agent", OK),
    ("/abs/observations/ajouter/", "/abs/observations/ajouter/", "bondy", "lecture", REFUSED),
    ("/abs/importer/", "/abs/importer/", "bondy", "agent", OK),
    ("/abs/importer/", "/abs/importer/", "bondy", "lecture", REFUSED),
    ("/abs/portrait/", "/abs/portrait/", "bondy", "lecture", OK),
    ("/abs/portrait/?export=pdf", "/abs/portrait/?export=pdf", "bondy", "agent", OK),
    ("/abs/comparaison/<CODE>/", "/abs/comparaison/{code}/?avec={other_insee}", "bondy",
     "agent", OK),
    ("/abs/modele.csv", "/abs/modele.csv", "bondy", "agent", OK),
    ("/abs/modele.xlsx", "/abs/modele.xlsx", "bondy", "agent", OK),
    ("/abs/portrait/", "/abs/portrait/", "cias", "direction-cias", OK),
    ("/abs/portrait/?export=pdf", "/abs/portrait/?export=pdf", "cias", "direction-cias", OK),
    # Knowledge base on member hosts.
    ("/experiences/", "/experiences/", "montreuil", "direction-montreuil", OK),
    ("/experiences/", "/experiences/", "bondy", "lecture", OK),
    ("/experiences/proposer/", "/experiences/proposer/", "bondy", "agent", OK),
    ("/experiences/proposer/", "/experiences/proposer/", "bondy", "lecture", REFUSED),
    # The demo's proposal is waiting for moderation, not sent back: nothing to correct yet, and
    # the page says so on the list (it answered « Page introuvable »).
    ("/experiences/<id>/modifier/", "/experiences/{pending_experience}/modifier/", "montreuil",
     "direction-montreuil", ("/experiences/", "Rien à modifier pour « Une aide au permis de conduire")),
    # Another member's experience stays unknown here.
    ("/experiences/<id>/modifier/", "/experiences/{pending_experience}/modifier/", "bondy",
     "direction", 404),
    # API on the member host.
    ("GET /api/v1/profile/", "/api/v1/profile/", "bondy", "lecture", OK),
    ("GET /api/v1/board/members/", "/api/v1/board/members/", "bondy", "lecture", OK),
    ("GET /api/v1/board/compliance/", "/api/v1/board/compliance/", "bondy", "lecture", OK),
    ("GET /api/v1/board/meetings/", "/api/v1/board/meetings/", "bondy", "lecture", OK),
    ("GET /api/v1/activity/?year=2025", "/api/v1/activity/?year=2025", "bondy", "lecture", OK),
    ("GET /api/v1/documents/?category=budget", "/api/v1/documents/?category=budget", "bondy",
     "lecture", OK),
    ("GET /api/v1/observations/", "/api/v1/observations/", "bondy", "lecture", OK),
    ("GET /api/v1/seminars/", "/api/v1/seminars/", "bondy", "agent", OK),
    ("/api/docs/", "/api/docs/", "bondy", "lecture", OK),
    # The other demo directors, and the spaces' border: « L'équipe de l'union n'entre pas ».
    ("/", "/", "montreuil", "direction-montreuil", OK),
    ("/", "/", "saint-denis", "direction-saint-denis", OK),
    ("/", "/", "cias", "direction-cias", OK),
    ("/conseil/", "/conseil/", "cias", "direction-cias", OK),
    ("/", "/", "bondy", "admin", REFUSED),
    ("/", "/", "bondy", "organisatrice", REFUSED),
    ("/", "/", "bondy", "direction-montreuil", REFUSED),
]  # fmt: skip

# Defects found here and left to their owners (see the session's report): each row fails
# today, and must be removed from here when its fix lands (strict xfail).
# Empty since session 29 (the API documentation's page now says lang="fr").
KNOWN: dict = {}

# README addresses in backticks that are not pages to open with GET, by name.
NOT_OPENED = {
    "/usr/bin/chromium": "a file (CHROMIUM_PATH)",
    "/etc/maillage.env": "a file",
    "/srv/maillage/releases/<version>": "a folder",
    "/srv/maillage/media": "a folder",
    "/srv/maillage/current": "a folder",
    "/srv/maillage/cog": "a folder",
    "/media/images/": "served by the proxy in production (README § Déployer, 6)",
    "/api/…": "any unknown /api/ path (a JSON 404: tests/union/test_api_unknown_paths_*)",
    "/publish": "part of « POST /api/v1/observations/validate, /publish, /retract »",
    "/retract": "part of « POST /api/v1/observations/validate, /publish, /retract »",
    "/api/v1/auth/token/": "POST only (the README says so)",
    "/api/v1/…": "the API's addresses, listed in docs/api.md (/api/v1/ alone is no page)",
    "/api/v1/": "named as no page (« /api/v1/ seule n'est pas une page »)",
    "/documents/<id>/<ancien-nom>": "the demo has no portal document to replace: opened in "
    "tests/union/test_content_ageing_s35.py",
}


def readme_addresses() -> set[str]:
    """The README's addresses in backticks: `/…`, and the `GET /…` of its API lists (a POST, PUT or
    PATCH is an action, not an address to open)."""
    found = set()
    for text in re.findall(r"`([^`\n]+)`", README.read_text()):
        if text.startswith("/") or text.startswith("GET /"):
            found.add(text)
    return found


# ---------------------------------------------------------------------------------------------
# The demo, once for the module, rolled back at the end.


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # The demo keeps an event it finds (its registrations too): one a committed test left
        # behind would be read instead of the demo's own (session 44: Bondy's registration,
        # made by a member since deleted, answered 404).
        left = list(SeminarPage.objects.values_list("slug", flat=True))
        assert not left, f"Événements laissés par un autre test : {left}"
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", stdout=io.StringIO())
            connection.set_schema_to_public()
            built = {"values": demo_values(), "clients": {}}
            # Signed in here, outside the tests' own transactions: a session row written
            # during a test is rolled back with it, and the next test would be signed out.
            for role, host in {(role, HOSTS[host]) for _r, _p, host, role, _e in URLS}:
                client_for(built, role, host)
            connection.set_schema_to_public()
            yield built
        finally:
            connection.set_schema_to_public()
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            # What the pages cached (glossary sigles, Wagtail's site paths) was rolled back.
            cache.clear()


def demo_values() -> dict:
    """The placeholders of URLS, from the demo's own objects and the project's link helpers."""
    upcoming = SeminarPage.objects.get(slug="atelier-debut-de-mandat")
    past = SeminarPage.objects.get(slug="seminaire-abs-2026")
    invitation = SeminarPage.objects.get(slug="reunion-partenaires-caf")
    members_only = SeminarPage.objects.get(slug="commission-seniors")
    today = SeminarPage.objects.get(slug=DOOR_EVENT)
    confirmed = upcoming.registrations.filter(status=Registration.Status.CONFIRMED)
    answered = Evaluation.objects.values("registration_id")
    present = past.registrations.filter(PRESENT).order_by("pk")
    bondy = MemberCCAS.objects.get(slug="bondy")
    cias = MemberCCAS.objects.get(slug="cias-grand-paris-grand-est")
    with schema_context(bondy.schema_name):
        from tenants.workspace.models import BoardMandate, BoardMeeting, Document

        mandates = list(BoardMandate.objects.order_by("-start"))
        meeting = BoardMeeting.objects.order_by("date").first().pk
        document = Document.objects.order_by("pk").first().pk
    published = (
        PublishedValue.objects.filter(member=bondy, value__isnull=False)
        .order_by("-year", "indicator__code")
        .first()
    )
    return {
        "upcoming": upcoming.pk,
        "today": today.pk,
        "upcoming_path": page_path(upcoming),
        "members_only_path": page_path(members_only),
        "invitation_path": page_path(invitation),
        "invitation_key": invitation.invitation_key,
        "token": make_token(confirmed.order_by("pk").first()),
        "past": past.pk,
        "past_year": past.start.year,
        "past_token": make_token(present.first()),
        "evaluate_token": make_token(present.exclude(pk__in=answered).first()),
        "scan_code": check_in_code(confirmed.order_by("pk").first()),
        "registrant_email": confirmed.exclude(email="").order_by("pk").first().email,
        "viewer_user": get_user_model().objects.get(email="lecture@ccas-bondy.demo").pk,
        "bondy_registration": upcoming.registrations.get(source=Registration.Source.MEMBER).pk,
        "bondy_id": bondy.pk,
        "cias_id": cias.pk,
        "insee": "93010",
        "other_insee": "93048",
        "siren": cias.intercommunality_id,
        "code": published.indicator.code,
        "abs_year": published.year,
        "mandate": mandates[0].pk,
        "past_mandate": mandates[-1].pk,
        "meeting": meeting,
        "document": document,
        "pending_experience": ExperiencePage.objects.filter(live=False).order_by("pk").first().pk,
    }


def client_for(demo: dict, role: str, host: str) -> Client:
    """A client on `host`, signed in through that host's /connexion/ with the README's password
    (once per role and host for the module)."""
    key = (role, host)
    if key not in demo["clients"]:
        client = Client(HTTP_HOST=host)
        if role != "anonyme":
            email, _home = ACCOUNTS[role]
            response = client.post("/connexion/", {"username": email, "password": DEMO_PASSWORD})
            assert response.status_code == 302, (
                f"{email} ne se connecte pas sur {host} avec le mot de passe du README "
                f"({response.status_code})"
            )
        demo["clients"][key] = client
    return demo["clients"][key]


# ---------------------------------------------------------------------------------------------
# What a page must not show.

# Django's and Wagtail's English words that leaked before, as whole words, case-sensitive, in
# what a reader sees (text, title, aria-label, placeholder, alt, a button's value). None is a
# French word (« Menu », « Date », « Type » are, so they are not here).
ENGLISH = [
    "Page not found", "Forbidden", "Server error", "Log in", "Log out", "Sign in", "Sign out",
    "Save", "Cancel", "Delete", "Submit", "Search", "Next", "Previous", "Edit", "Add", "Back",
    "Yes", "Close", "Password", "Username", "Settings", "Dashboard", "Welcome", "Loading",
    "This field is required", "Enter a valid", "Select a valid", "Please correct",
    "No results", "Not found", "Actions", "Filter", "Show", "Hide", "Reports", "Help",
    "Users", "Groups", "Pages", "Images", "Documents", "Snippets", "Sort by", "Apply",
]  # fmt: skip
# Of these, the French admin legitimately shows « Actions », « Pages », « Images »,
# « Documents » and « Groupes »-like words: the French ones are dropped below.
ENGLISH = [word for word in ENGLISH if word not in {"Actions", "Pages", "Images", "Documents"}]
ENGLISH_RE = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w-])")
SEEN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}


class SeenText(HTMLParser):
    """The text a reader sees or hears: text nodes (not in script, style, template, svg) and the
    attributes a screen reader reads."""

    HIDDEN = {"script", "style", "template", "svg", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts = []
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag in self.HIDDEN:
            self.depth += 1
        for name in SEEN_ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def english_in(page: str) -> tuple[str | None, list[str]]:
    parser = SeenText()
    parser.feed(page)
    seen = " ".join(" ".join(parser.parts).split())
    leaks = sorted({m.group(0) for m in ENGLISH_RE.finditer(html.unescape(seen))})
    return parser.html_lang, leaks


def check_html(response, where: str) -> list[str]:
    if "text/html" not in response.get("Content-Type", "") or not response.content:
        return []  # not a page, or a redirect or a 405 without a body
    lang, leaks = english_in(response.content.decode())
    problems = []
    if lang != "fr":
        problems.append(f"{where} : <html lang={lang!r}>, pas « fr »")
    if leaks:
        problems.append(f"{where} : mots anglais {leaks}")
    return problems


def admin_refusal(client, response) -> bool:
    """Wagtail's refusal inside its admin: back to the admin's home, which says why."""
    if response.status_code != 302 or response["Location"] != "/admin/":
        return False
    home = html.unescape(client.get("/admin/").content.decode())
    return "pas les autorisations pour accéder" in home


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and any(
        word in response["Location"] for word in ("/connexion/", "/login/")
    )


# ---------------------------------------------------------------------------------------------


def test_the_table_covers_the_readme():
    covered = {readme for readme, *_ in URLS}
    missing = sorted(readme_addresses() - covered - set(NOT_OPENED))
    assert not missing, f"adresses du README absentes de la table : {missing}"


def test_the_html_check_sees_english_and_a_missing_lang():
    """Guards the check: it sees Django's English 404 and a page without lang="fr", and not
    the French words that look alike (« Actions », « Documents », « Menu »)."""
    lang, leaks = english_in('<html lang="en"><h1>Page not found</h1><button>Save</button></html>')
    assert lang == "en" and leaks == ["Page not found", "Save"]
    lang, leaks = english_in(
        '<html lang="fr"><a aria-label="Menu">Actions</a> Documents, Images, Pages '
        "<script>var s = 'Save';</script><p>Enregistrer, Annuler, Rechercher</p></html>"
    )
    assert lang == "fr" and leaks == []


def url_params():
    for readme, path, host, role, expected in URLS:
        reason = KNOWN.get((host, role, path))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(
            readme, path, host, role, expected, marks=marks, id=f"{host}:{role}:{path}"
        )


def test_every_known_defect_names_a_row():
    rows = {(host, role, path) for _readme, path, host, role, _expected in URLS}
    assert set(KNOWN) <= rows


@pytest.mark.parametrize(("readme", "path", "host", "role", "expected"), list(url_params()))
def test_the_readme_url(demo, readme, path, host, role, expected):
    url = path.format(**demo["values"])
    client = client_for(demo, role, HOSTS[host])
    response = client.get(url)
    where = f"{role} sur {HOSTS[host]}{url} (README : {readme})"
    status = response.status_code
    assert status < 500, f"{where} : {status}"
    problems = []
    if expected == OK:
        if status != 200:
            problems.append(f"{where} : {status}, attendu 200")
    elif expected == LOGIN:
        if not is_login_redirect(response):
            problems.append(f"{where} : {status}, attendu un renvoi vers la connexion")
    elif expected == REFUSED:
        if not (
            status in (401, 403) or is_login_redirect(response) or admin_refusal(client, response)
        ):
            problems.append(f"{where} : {status}, attendu un refus (403 ou connexion)")
    elif isinstance(expected, tuple) and isinstance(expected[0], int):  # refused, saying why
        wanted, reason = expected
        if status != wanted or reason not in plain(html.unescape(response.content.decode())):
            problems.append(f"{where} : {status}, attendu {wanted} qui dise « {reason} »")
    elif isinstance(expected, tuple):  # sent to a page that says why
        target, reason = expected
        if status != 302 or response["Location"] != target:
            problems.append(f"{where} : {status}, attendu un renvoi vers {target}")
        else:
            shown = plain(client.get(target).content.decode())
            if reason not in shown:
                problems.append(f"{where} : {target} ne dit pas « {reason} »")
    elif status != expected:
        problems.append(f"{where} : {status}, attendu {expected}")
    problems += check_html(response, where)
    if is_login_redirect(response):  # the sign-in page it sends to is French too
        problems += check_html(client.get(response["Location"]), f"{where} → connexion")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("host", ["portail", "bondy"])
def test_an_unknown_address_says_page_introuvable(demo, host):
    """README (« Recherche ») : « Une adresse inconnue montre « Page introuvable » avec la
    recherche et les liens vers l'accueil, les guides et le calendrier (dans un espace membre :
    vers son tableau de bord, et le portail) »."""
    role = "anonyme" if host == "portail" else "direction"
    client = client_for(demo, role, HOSTS[host])
    response = client.get("/cette-adresse-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in plain(response.content.decode())
    assert not check_html(response, f"{HOSTS[host]}/cette-adresse-n-existe-pas/")


# « Comptes de démonstration »: where each of the union's accounts goes, by the admin's menu.
MENUS = {
    "admin": ["Membres", "Inscriptions aux événements", "Catalogue ABS"],
    "organisatrice": ["Inscriptions aux événements", "Accueil des participants"],
    "accueil": ["Accueil des participants"],
}
NOT_IN_MENU = {
    "accueil": ["Inscriptions aux événements", "Membres"],
    "organisatrice": ["Membres"],
    "editrice": ["Membres", "Inscriptions aux événements"],
}


def sidebar_labels(page: str) -> set[str]:
    """The labels of Wagtail's sidebar: JSON in the page, drawn by JavaScript."""
    found = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', page, re.S
    )
    labels = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.add(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(found.group(1)))
    return labels


@pytest.mark.parametrize("role", ["admin", "editrice", "moderateur", "organisatrice", "accueil"])
def test_the_admin_menu_is_the_one_the_readme_names_and_french(demo, role):
    labels = sidebar_labels(client_for(demo, role, "localhost").get("/admin/").content.decode())
    for label in MENUS.get(role, []):
        assert label in labels, f"{role} : pas de menu « {label} » ({sorted(labels)})"
    for label in NOT_IN_MENU.get(role, []):
        assert label not in labels, f"{role} : menu « {label} » en trop"
    english = sorted(label for label in labels if ENGLISH_RE.search(label))
    assert not english, f"{role} : menu en anglais {english}"


# The member table's cells the dashboard shows by role: « ABS : « Vérifier et valider les
# brouillons » pour la direction », and « Inscrire » for direction and agents only.
DASHBOARD = {
    "direction": {"Vérifier et valider les brouillons": True, "/inscrire/": True},
    "agent": {"Vérifier et valider les brouillons": False, "/inscrire/": True},
    "lecture": {"Vérifier et valider les brouillons": False, "/inscrire/": False},
}


@pytest.mark.parametrize("role", DASHBOARD)
def test_the_dashboard_offers_what_the_role_may_do(demo, role):
    page = plain(client_for(demo, role, "bondy.localhost").get("/").content.decode())
    for text, shown in DASHBOARD[role].items():
        assert (text in page) is shown, f"{role} : « {text} » {'absent' if shown else 'présent'}"
