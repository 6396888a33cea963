"""The home page's texts as 0002 seeded them, with an ordinary space before a colon (French
typography wants a no-break space, U+00A0: a line must not open on the mark).

Only a text still exactly as seeded is rewritten, and only on a page nobody edited since: 0002
created it with no revision; an edit in the admin saves one. So the page is left alone once it
has more than one revision; with one, a text is rewritten on the live page and in that revision
together, and only where both still hold the seeded text (a draft that changed it keeps its
change). union is a shared app: django-tenants runs this in the public schema only, where the
page tree lives."""

from django.db import migrations

NBSP = "\u00a0"
SEEDED = {
    "intro": (
        "Le réseau des CCAS et CIAS du département : guides, expériences, rencontres et "
        "indicateurs partagés."
    ),
    "body": (
        "<p>L'union départementale fédère les centres communaux et intercommunaux d'action "
        "sociale du département : elle outille leurs équipes, forme leurs élus et mutualise les "
        "données de l'analyse des besoins sociaux.</p>"
    ),
}
TYPESET = {field: text.replace(" :", NBSP + ":") for field, text in SEEDED.items()}


def add_no_break_spaces(apps, schema_editor):
    HomePage = apps.get_model("union", "HomePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    for home in HomePage.objects.all():
        revisions = list(
            Revision.objects.filter(content_type_id=home.content_type_id, object_id=str(home.pk))
        )
        if len(revisions) > 1:
            continue
        revision = revisions[0] if revisions else None
        fields = [
            field
            for field, seeded in SEEDED.items()
            if getattr(home, field) == seeded
            and (revision is None or revision.content.get(field) == seeded)
        ]
        if not fields:
            continue
        HomePage.objects.filter(pk=home.pk).update(**{field: TYPESET[field] for field in fields})
        if revision is not None:
            revision.content.update({field: TYPESET[field] for field in fields})
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [("union", "0006_french_no_break_spaces")]

    operations = [migrations.RunPython(add_no_break_spaces, migrations.RunPython.noop)]
