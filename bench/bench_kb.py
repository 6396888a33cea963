"""Knowledge base: a guide page and filtered listings with the demo content plus 500 generated
guides. Server time through the test Client on the portal host, warm, no page cache.

Targets (issue 3): guide page < 15 ms median, filtered listing < 40 ms median.
"""

import datetime
import io
import random

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from django.utils.text import slugify

from bench.harness import report, timings
from knowledge_base import demo
from knowledge_base.demo_experiences import EXPERIENCES, PENDING_PROPOSAL
from knowledge_base.demo_guides import GUIDES
from knowledge_base.models import Audience, GuideIndexPage, GuidePage, Theme
from tenants.models import Commune, MemberCCAS, Membership
from tenants.services import grant_membership, onboard_member
from union import roles

GENERATED = 500
REPEAT = 60


def _members() -> None:
    for slug in {data["member"] for data in EXPERIENCES}:
        if not MemberCCAS.objects.filter(slug=slug).exists():
            commune = next(
                c for c in Commune.objects.filter(departement_id="93") if slugify(c.nom) == slug
            )
            onboard_member(commune.code)
            connection.set_schema_to_public()
    grant_membership(
        MemberCCAS.objects.get(slug=PENDING_PROPOSAL["member"]),
        PENDING_PROPOSAL["author"],
        Membership.Role.DIRECTOR,
        password="bench-only-password",
    )


@transaction.atomic
def _generate_guides(count: int) -> None:
    index = GuideIndexPage.objects.get()
    themes = list(Theme.objects.all())
    audiences = [code for code, _label in Audience.choices]
    rng = random.Random(3)
    existing = GuidePage.objects.filter(slug__startswith="guide-genere-").count()
    for number in range(existing, count):
        model = GUIDES[number % len(GUIDES)]
        page = GuidePage(
            title=f"{model['title']} (variante {number + 1})",
            slug=f"guide-genere-{number + 1}",
            summary=model["summary"],
            audiences=rng.sample(audiences, rng.randint(1, 3)),
            last_reviewed=datetime.date.today() - datetime.timedelta(days=rng.randint(0, 900)),
            body=model["body"],
            live=False,
        )
        index.add_child(instance=page)
        index.refresh_from_db()
        page.themes.set(rng.sample(themes, rng.randint(1, 3)))
        page.save_revision().publish()


def _get(client: Client, path: str):
    def fetch():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    return fetch


def run() -> None:
    Group.objects.get_or_create(name=roles.MODERATOR)
    _members()
    demo.load(io.StringIO())
    _generate_guides(GENERATED)
    print(f"{GuidePage.objects.live().count()} guides publiés", flush=True)
    client = Client(HTTP_HOST="localhost")
    report(
        "guide page (/guides/composer-conseil-administration-ccas/)",
        timings(_get(client, "/guides/composer-conseil-administration-ccas/"), REPEAT),
        15,
    )
    report(
        "generated guide page (/guides/guide-genere-250/)",
        timings(_get(client, "/guides/guide-genere-250/"), REPEAT),
        15,
    )
    listings = [
        "/guides/?theme=gouvernance-du-ccas&audience=elus",
        "/guides/?theme=domiciliation&theme=acces-aux-droits&match=all&sort=date",
        "/guides/?theme=numerique&theme=sante&match=any&sort=pertinence&page=2",
        "/experiences/?departement=93&theme=acces-aux-droits",
    ]
    for path in listings:
        report(f"filtered listing {path}", timings(_get(client, path), REPEAT), 40)
    # Informational (no target in the issue): listing narrowed by full-text search, site search.
    report(
        "listing with text /guides/?q=conseil+d%27administration&audience=elus",
        timings(_get(client, "/guides/?q=conseil+d%27administration&audience=elus"), 20),
    )
    report("search /recherche/?q=logements", timings(_get(client, "/recherche/?q=logements"), 20))
    report("RSS feed /flux/rss/", timings(_get(client, "/flux/rss/"), 20))
    report(
        "API /api/v1/guides/?theme=sante", timings(_get(client, "/api/v1/guides/?theme=sante"), 20)
    )
