"""Seed the indicator catalogue with the starting list of DOMAIN.md. Union staff edit it afterwards."""

from django.db import migrations

FILOSOFI_BREAK = (
    "Filosofi : dernier millésime 2021, INSEE n'a pas produit d'édition 2022 ; "
    "la série est rompue après 2021."
)
# code, label, unit, decimals, source, polarity, theme, definition, break_after, break_notes
CATALOGUE = [
    (
        "POP",
        "Population municipale",
        "count",
        0,
        "INSEE RP",
        "neutral",
        "Démographie",
        "Nombre de personnes ayant leur résidence habituelle sur le territoire de la commune.",
        [],
        "",
    ),
    (
        "TP60",
        "Taux de pauvreté au seuil de 60 %",
        "percent",
        1,
        "INSEE Filosofi",
        "higher_fragile",
        "Revenus et pauvreté",
        "Part des personnes dont le niveau de vie est inférieur à 60 % du niveau de vie médian de "
        "France métropolitaine. INSEE affiche 5 % les taux inférieurs à 5 %.",
        [2021],
        FILOSOFI_BREAK,
    ),
    (
        "MED",
        "Médiane du niveau de vie",
        "euros_year",
        0,
        "INSEE Filosofi",
        "lower_fragile",
        "Revenus et pauvreté",
        "Niveau de vie médian annuel par unité de consommation (diviser par 12 pour une lecture "
        "mensuelle).",
        [2021],
        FILOSOFI_BREAK,
    ),
    (
        "D9D1",
        "Rapport interdécile D9/D1 du niveau de vie",
        "ratio",
        1,
        "INSEE Filosofi",
        "higher_fragile",
        "Revenus et pauvreté",
        "Rapport entre le niveau de vie plancher des 10 % les plus aisés et le niveau de vie plafond "
        "des 10 % les plus modestes : plus il est élevé, plus les inégalités sont fortes.",
        [2021],
        FILOSOFI_BREAK,
    ),
    (
        "FAMMONO",
        "Part des familles monoparentales",
        "percent",
        1,
        "INSEE RP",
        "higher_fragile",
        "Familles",
        "Familles monoparentales parmi l'ensemble des familles.",
        [],
        "",
    ),
    (
        "CHOM",
        "Taux de chômage des 15-64 ans (au sens du recensement)",
        "percent",
        1,
        "INSEE RP",
        "higher_fragile",
        "Emploi et insertion",
        "Chômeurs de 15 à 64 ans déclarés au recensement parmi les actifs de 15 à 64 ans.",
        [],
        "",
    ),
    (
        "P75SEUL",
        "Part des 75 ans ou plus vivant seuls",
        "percent",
        1,
        "INSEE RP",
        "higher_fragile",
        "Personnes âgées",
        "Personnes de 75 ans ou plus vivant seules dans leur logement parmi les 75 ans ou plus.",
        [],
        "",
    ),
    (
        "SANSDIP",
        "Part des 15 ans ou plus non scolarisés sans diplôme",
        "percent",
        1,
        "INSEE RP",
        "higher_fragile",
        "Éducation",
        "Personnes de 15 ans ou plus non scolarisées sans diplôme ou avec au plus un brevet des "
        "collèges.",
        [],
        "",
    ),
    (
        "LOCHLM",
        "Part des ménages locataires d'un logement social",
        "percent",
        1,
        "INSEE RP",
        "neutral",
        "Logement",
        "Ménages locataires d'un logement HLM loué vide parmi les ménages.",
        [],
        "",
    ),
    (
        "SUROCC",
        "Part des résidences principales suroccupées",
        "percent",
        1,
        "INSEE RP",
        "higher_fragile",
        "Logement",
        "Résidences principales comptant moins de pièces que la norme d'occupation.",
        [],
        "",
    ),
    (
        "ALLOCBR",
        "Part des allocataires CAF à bas revenus",
        "percent",
        1,
        "CAF",
        "higher_fragile",
        "Prestations sociales",
        "Allocataires dont le revenu par unité de consommation est inférieur au seuil de bas "
        "revenus.",
        [],
        "",
    ),
    (
        "DEP100",
        "Part des allocataires dont les ressources dépendent à 100 % des prestations",
        "percent",
        1,
        "CAF",
        "higher_fragile",
        "Prestations sociales",
        "Allocataires dont les prestations CAF représentent la totalité des ressources.",
        [],
        "",
    ),
    (
        "RSA",
        "Foyers allocataires du RSA",
        "count",
        0,
        "CAF",
        "higher_fragile",
        "Prestations sociales",
        "Foyers allocataires du revenu de solidarité active au 31 décembre.",
        [],
        "",
    ),
    (
        "DOMIC",
        "Élections de domicile actives",
        "count",
        0,
        "Activité du CCAS",
        "neutral",
        "Activité du CCAS",
        "Domiciliations actives au 31 décembre (rapport annuel au préfet, CASF D264-8).",
        [],
        "",
    ),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("abs_shared", "Indicator")
    for position, row in enumerate(CATALOGUE, start=1):
        code, label, unit, decimals, source, polarity, theme, definition, breaks, notes = row
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "unit": unit,
                "decimals": decimals,
                "source": source,
                "polarity": polarity,
                "theme": theme,
                "definition": definition,
                "break_after": breaks,
                "break_notes": notes,
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("abs_shared", "Indicator").objects.filter(
        code__in=[row[0] for row in CATALOGUE]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("abs_shared", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
