"""The pooled ABS pages a search engine may list: the catalogue, each indicator, and the portrait
of each commune and intercommunality that published (the others have nothing of their own)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from abs_shared.models import Indicator
from abs_shared.views import communes_that_published, intercommunalities_that_published


class IndicatorPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        indicators = Indicator.objects.order_by("position", "code").values_list("code", flat=True)
        communes = communes_that_published().order_by("code").values_list("code", flat=True)
        intercommunalities = (
            intercommunalities_that_published().order_by("siren").values_list("siren", flat=True)
        )
        return [
            reverse("abs_catalogue"),
            reverse("abs_communes"),
            *(reverse("abs_indicator", args=[code]) for code in indicators),
            *(reverse("abs_portrait", args=[code]) for code in communes),
            *(
                reverse("abs_intercommunality_portrait", args=[siren])
                for siren in intercommunalities
            ),
        ]

    def location(self, item: str) -> str:
        return item
