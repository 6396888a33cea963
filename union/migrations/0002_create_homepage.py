"""Replace Wagtail's welcome page by the union's home page and point the default site at it."""

from django.db import migrations

HOME_BODY = (
    "<p>L'union départementale fédère les centres communaux et intercommunaux d'action sociale "
    "du département : elle outille leurs équipes, forme leurs élus et mutualise les données de "
    "l'analyse des besoins sociaux.</p>"
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("union.HomePage")

    Page.objects.filter(depth=2, slug="home").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="union")
    locale = Locale.objects.first()
    home = HomePage.objects.create(
        title="Union départementale des CCAS",
        draft_title="Union départementale des CCAS",
        slug="accueil",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/accueil/",
        locale=locale,
        live=True,
        intro="Le réseau des CCAS et CIAS du département : guides, expériences, rencontres et indicateurs partagés.",
        body=HOME_BODY,
    )
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Maillage")


def remove_homepage(apps, schema_editor):
    apps.get_model("union.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("union", "0001_initial"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
