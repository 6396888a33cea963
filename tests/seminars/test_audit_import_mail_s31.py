"""Session 31 audit: e-mail subjects that parse back to what we wrote, re-imports that say who
was new, « Communes à vérifier » counted and corrected by registration."""

import email
import random
import re
from email import policy

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage, EmailMultiAlternatives, send_mail

from seminars.emails import SUBJECTS, send_address_changed_notice, send_organiser_message
from seminars.services import register_person
from tests.conftest import plain
from tests.seminars.conftest import make_seminar, person
from tests.union.test_queued_email_s17 import queued_mailers
from union.mail import EmailWithInlineImages, rebuild_message, serialize_message

pytestmark = pytest.mark.django_db

# --- 1. subjects --------------------------------------------------------------------------------

# The auditor's title, then longer ones (60 to 120 characters): accents, no-break spaces, « ».
TITLES = [
    "Atelier début de mandat\u00a0: le CCAS, mode d'emploi",
    "Atelier «\u00a0début de mandat\u00a0»\u00a0: le CCAS, mode d'emploi pour les élus",
    "Journée régionale des CCAS\u00a0: l'accès aux droits, la domiciliation et l'aide sociale",
    "Séminaire «\u00a0Élus et agents\u00a0»\u00a0: le budget du CCAS, l'analyse des besoins sociaux"
    " et l'évaluation, sans détour\u00a0!",
    "Rencontre départementale\u00a0: «\u00a0la précarité énergétique\u00a0», les aides"
    " facultatives, la coordination des acteurs et le rôle des élus référents",
]
ENCODED_WORD = r"=\?[^?\s]+\?[qQbB]\?[^?\s]*\?="


def raw_subject(raw: bytes) -> str:
    head = raw.replace(b"\r\n", b"\n").split(b"\n\n")[0].decode("ascii")
    return re.search(r"^Subject:.*(?:\n[ \t].*)*", head, re.M).group(0)


def assert_subject_reads_back(message, subject: str) -> None:
    """As the console and SMTP mailers serialise it: a valid header, read back exactly."""
    for used in (policy.default, policy.SMTP):
        raw = message.message(policy=used).as_bytes()
        header = raw_subject(raw)
        # Encoded words separated from anything else by whitespace (RFC 2047 § 5), short lines.
        glued = rf"(?<![ \t\n]){ENCODED_WORD}|{ENCODED_WORD}(?![ \t\n]|$)"
        assert not re.search(glued, header), header
        assert all(len(line) <= 78 for line in header.split("\n")), header
        assert email.message_from_bytes(raw, policy=policy.default)["Subject"] == subject


@pytest.fixture
def queued(settings):
    """Production's path: queued, rebuilt by the worker, handed to the delivery mailer."""
    settings.MAILERS = queued_mailers()
    return settings


@pytest.mark.parametrize("title", TITLES)
def test_a_confirmation_subject_reads_back_as_written_at_any_length(
    queued, title, django_capture_on_commit_callbacks
):
    seminar = make_seminar(title)
    with django_capture_on_commit_callbacks(execute=True):
        register_person(seminar, person(1))
    (sent,) = mail.outbox
    subject = SUBJECTS["confirmed"].format(title=title)
    assert sent.subject == subject
    assert_subject_reads_back(sent, subject)


def test_every_kind_of_message_reads_back_its_subject(queued, django_capture_on_commit_callbacks):
    title = TITLES[-1]
    seminar = make_seminar(title)
    with django_capture_on_commit_callbacks(execute=True):
        registration, _ = register_person(seminar, person(1), notify=False)
    # Templated (text and HTML), an organiser's message, a plain one, an HTML-only one.
    organiser_subject = f"Informations pratiques\u00a0: {title}"
    plain_subject = f"Compte créé\u00a0: «\u00a0{title}\u00a0»"
    html_subject = f"Ordre du jour\u00a0: {title} — séance plénière"
    with django_capture_on_commit_callbacks(execute=True):
        send_address_changed_notice(seminar, "ancienne@exemple.fr")
        send_organiser_message([registration], organiser_subject, "Bonjour,\n\nÀ bientôt.")
        send_mail(plain_subject, "Bonjour", None, ["elu@exemple.fr"])
        html_only = EmailMessage(html_subject, "<h1>Conseil</h1>", to=["elu@exemple.fr"])
        html_only.content_subtype = "html"
        html_only.send()
    expected = [
        f"Adresse de votre inscription modifiée\u00a0: {title}",
        organiser_subject,
        plain_subject,
        html_subject,
    ]
    assert [sent.subject for sent in mail.outbox] == expected
    for sent, subject in zip(mail.outbox, expected, strict=True):
        assert_subject_reads_back(sent, subject)


WORDS = (
    "Atelier début de mandat\u00a0: le CCAS, mode d'emploi «\u00a0élus\u00a0» accentués très"
    " l'été communes à vérifier\u00a0? financement intercommunalité DGS rencontre régionale"
).split(" ")


def test_every_length_of_subject_reads_back_in_every_kind_of_message():
    # 300 titles of 60 to 120 characters, as the worker rebuilds each kind of message.
    chance = random.Random(31)
    for _ in range(300):
        title = ""
        while len(title) < 60:
            title = f"{title} {chance.choice(WORDS)}".strip()
        title = title[:120]
        subject = SUBJECTS["confirmed"].format(title=title)
        for cls in (EmailMessage, EmailMultiAlternatives, EmailWithInlineImages):
            message = cls(subject, "Bonjour", to=["elu@exemple.fr"])
            assert_subject_reads_back(rebuild_message(serialize_message(message)), subject)


def test_a_long_ascii_subject_reads_back_too(queued, django_capture_on_commit_callbacks):
    # The library's folding started this one with a space.
    subject = "Reminder: Atelier communes " + "x" * 30 + " Atelier communes"
    with django_capture_on_commit_callbacks(execute=True):
        send_mail(subject, "Hello", None, ["elu@exemple.fr"])
    assert_subject_reads_back(mail.outbox[0], subject)


# --- 2. the same list imported again ----------------------------------------------------------


def import_list(client, seminar, rows: str) -> list[str]:
    upload = SimpleUploadedFile("liste.csv", rows.encode())
    response = client.post(
        f"/admin/inscriptions/{seminar.pk}/importer/", {"file": upload}, follow=True
    )
    assert response.status_code == 200
    return [" ".join(m.message.split()) for m in response.context["messages"]]


HEADER = "Nom;Prénom;Commune;Fonction;Email;Téléphone;Besoins\n"
ZOLA = "Zola;Émile;Bondy;Maire;emile.zola@exemple.fr;0102030405;Repas végétarien\n"
ABEL = "Abel;Anne;Pantin;Maire;anne.abel@exemple.fr;;\n"


def test_importing_the_same_list_again_says_nobody_was_added(organiser_client):
    seminar = make_seminar("Atelier début de mandat")
    first = import_list(organiser_client, seminar, HEADER + ZOLA + ABEL)
    assert first == [
        "2 inscriptions importées : 2 confirmées, 0 en liste d'attente, 0 commune à vérifier."
    ]

    again = import_list(organiser_client, seminar, HEADER + ZOLA + ABEL)
    assert again[0] == (
        "Aucune nouvelle inscription ; 2 personnes déjà inscrites, inchangées. Inscriptions de ce "
        "fichier : 2 confirmées, 0 en liste d'attente, 0 commune à vérifier."
    )
    # Zola's line has needs, Abel's none: both counted as already registered all the same.
    assert again[1:] == [
        "1 personne déjà inscrite : ses ateliers et besoins enregistrés sont gardés, ceux du "
        "fichier ne sont pas repris (corrigez-les avec « Modifier » dans la liste)."
    ]
    assert seminar.registrations.count() == 2

    # Abel's phone given, a newcomer: one new, one updated, one as it was.
    martin = "Martin;Paul;Bondy;Maire;paul.martin@exemple.fr;;\n"
    abel_phone = "Abel;Anne;Pantin;Maire;anne.abel@exemple.fr;0607080910;\n"
    mixed = import_list(organiser_client, seminar, HEADER + ZOLA + abel_phone + martin)
    assert mixed[0] == (
        "1 nouvelle inscription ; 1 personne déjà inscrite, mise à jour ; 1 personne déjà "
        "inscrite, inchangée. Inscriptions de ce fichier : 3 confirmées, 0 en liste d'attente, "
        "0 commune à vérifier."
    )
    assert seminar.registrations.count() == 3


def test_the_api_still_counts_every_line_imported(staff_api, seminar, tmp_path):
    # `imported` is the lines imported (new or updated): tests/seminars/test_import_robustness.
    path = tmp_path / "liste.csv"
    path.write_text(HEADER + ZOLA + ABEL, "utf-8")
    url = f"/api/v1/seminars/{seminar.pk}/registrations/import"
    for _ in range(2):
        with path.open("rb") as upload:
            response = staff_api.post(url, {"file": upload})
        assert response.status_code == 200, response.content
        assert response.json()["imported"] == 2
    assert seminar.registrations.count() == 2


# --- 3. « Communes à vérifier » --------------------------------------------------------------


def test_a_commune_chosen_for_one_typo_corrects_the_same_typo_everywhere(organiser_client):
    seminar = make_seminar("Atelier début de mandat")
    first, _ = register_person(seminar, person(1, nom="Zola", commune="Aulnay-sous-Boi"))
    second, _ = register_person(seminar, person(2, nom="Abel", commune=" aulnay-SOUS-boi"))
    other, _ = register_person(seminar, person(3, nom="Roux", commune="Bondyy"))
    assert {r.commune_status for r in (first, second, other)} == {"flagged"}
    url = f"/admin/inscriptions/{seminar.pk}/communes/"
    assert "3 inscriptions à vérifier" in plain(organiser_client.get(url).content.decode())
    assert f"{seminar.title} : 3 inscriptions à vérifier" in plain(
        organiser_client.get("/admin/").content.decode()
    )

    response = organiser_client.post(
        url, {"registration": first.pk, "code": "93005", "code_typed": ""}, follow=True
    )
    said = [" ".join(m.message.split()) for m in response.context["messages"]]
    assert said == [
        "Commune corrigée pour 2 inscriptions (Prénom2 Abel et Prénom1 Zola) : "
        "Aulnay-sous-Bois (93)."
    ]
    assert "1 inscription à vérifier" in plain(response.content.decode())
    assert f"{seminar.title} : 1 inscription à vérifier" in plain(
        organiser_client.get("/admin/").content.decode()
    )
    for registration in (first, second, other):
        registration.refresh_from_db()
    assert (first.commune_id, second.commune_id) == ("93005", "93005")
    assert (first.commune_status, second.commune_status, other.commune_status) == (
        "matched",
        "matched",
        "flagged",
    )

    # One left: said as before; none left, « 0 inscription ».
    response = organiser_client.post(
        url, {"registration": other.pk, "code": "", "code_typed": "93010"}, follow=True
    )
    said = [" ".join(m.message.split()) for m in response.context["messages"]]
    assert said == ["Commune de Prénom3 Roux corrigée : Bondy (93)."]
    assert "0 inscription à vérifier" in plain(response.content.decode())
