"""The pooled ABS pages a search engine may list: the catalogue, each indicator, and the portrait
of each commune and intercommunality that published (the others have nothing of their own)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse

from abs_shared.models import Indicator, PublishedValue
from tenants.models import Commune, Intercommunality


class IndicatorPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        pooled = PublishedValue.objects
        communes = Commune.objects.filter(
            Exists(pooled.of_communes().filter(commune=OuterRef("code")))
        ).order_by("code")
        intercommunalities = Intercommunality.objects.filter(
            Exists(
                pooled.of_intercommunalities().filter(member__intercommunality=OuterRef("siren"))
            )
        ).order_by("siren")
        indicators = Indicator.objects.order_by("position", "code")
        return [
            reverse("abs_catalogue"),
            reverse("abs_communes"),
            *(
                reverse("abs_indicator", args=[code])
                for code in indicators.values_list("code", flat=True)
            ),
            *(
                reverse("abs_portrait", args=[code])
                for code in communes.values_list("code", flat=True)
            ),
            *(
                reverse("abs_intercommunality_portrait", args=[siren])
                for siren in intercommunalities.values_list("siren", flat=True)
            ),
        ]

    def location(self, item: str) -> str:
        return item
