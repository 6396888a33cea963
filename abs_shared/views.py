"""Portal pages of the ABS: the catalogue, one page per indicator, one portrait per commune and
one per intercommunality whose CIAS published.

They read the public pool only (published values). The member space reuses the context builders
below with its own observations as overrides (abs_shared.local.views).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify

from abs_shared import charts, presenters
from abs_shared.comparisons import (
    COMMUNE,
    INTERCOMMUNALITY,
    HiddenCounts,
    Overrides,
    Point,
    Subject,
    available_years,
    change_since_previous,
    chosen_communes_values,
    commune_subject,
    compare,
    compare_many,
    guard_intercommunal_count,
    hidden_intercommunal_counts,
    is_overseas,
    latest_years,
    load_commune,
    load_intercommunality,
    of_subject,
    rank,
    series,
    subject_points,
)
from abs_shared.models import (
    FRANCE_CODE,
    WHOLE_FRANCE_CODE,
    Indicator,
    PublishedValue,
    ReferenceValue,
    ValueStatus,
)
from tenants.matching import compact, fold, match_commune, prefer_listed, read_cog_codes
from tenants.models import Commune, Departement, Intercommunality, MemberCCAS, Region
from union.params import parse_digits
from union.spreadsheets import download_response

EXPORT_FORMATS = ("csv", "xlsx")
PDF = "pdf"  # the portrait only: `?export=pdf`
MAX_BARS = 60


def sorted_by_name(items, name=lambda item: item.nom) -> list:
    """Alphabetical order as people read it: « Épinay » before « Montreuil ». The database
    collation (and Python's code-point order) puts accented capitals after Z."""
    return sorted(items, key=lambda item: fold(name(item)))


def _export_format(request) -> str | None:
    fmt = request.GET.get("export")
    return fmt if fmt in EXPORT_FORMATS else None


def _year(request, choices: list[int], default: int | None) -> int | None:
    try:
        year = int(request.GET.get("annee", ""))
    except ValueError:
        return default
    return year if year in choices else default


def warn_ignored_year(request, shown: int | None, years: list[int], where: str) -> None:
    """Say on the page that the `?annee=` asked was not one with values (never an error): as
    the portrait does, the indicator's and the comparison's pages show another year."""
    asked = request.GET.get("annee", "").strip()
    if not asked or str(shown) == asked or _export_format(request):
        return  # a file carries no message: it would wait for the next page
    available = ", ".join(str(y) for y in sorted(years, reverse=True)) or "aucune"
    messages.warning(
        request,
        f"Année « {asked[:20]} » ignorée : aucune valeur {where} cette année-là (années "
        f"disponibles : {available})." + (f" Année {shown} affichée." if shown else ""),
    )


def _commune_or_404(insee: str) -> Subject:
    try:
        return commune_subject(load_commune(insee.upper()))  # « 2a004 » as typed in the address
    except Commune.DoesNotExist:
        raise Http404("Commune inconnue.") from None


def _intercommunality_or_404(siren: str) -> Subject:
    try:
        return load_intercommunality(siren)
    except Intercommunality.DoesNotExist:
        raise Http404("Intercommunalité inconnue.") from None


def portal_path(subject: Subject) -> str:
    """The portrait of a commune or an intercommunality on the portal."""
    if subject.kind == INTERCOMMUNALITY:
        return f"/indicateurs/intercommunalites/{subject.code}/"
    return f"/indicateurs/communes/{subject.code}/"


def communes_that_published():
    """Communes whose CCAS published, with their number of pooled values."""
    pooled = PublishedValue.objects.of_communes().filter(commune=OuterRef("code"))
    return Commune.objects.filter(Exists(pooled)).annotate(
        values=Subquery(pooled.values("commune").annotate(n=Count("pk")).values("n"))
    )


def intercommunalities_that_published():
    """Intercommunalities whose CIAS published, with their number of pooled values."""
    pooled = PublishedValue.objects.of_intercommunalities().filter(
        member__intercommunality=OuterRef("siren")
    )
    return Intercommunality.objects.filter(Exists(pooled)).annotate(
        values=Subquery(
            pooled.values("member__intercommunality").annotate(n=Count("pk")).values("n")
        )
    )


def catalogue(request):
    # An aggregate drops Meta.ordering: order explicitly, then group by theme in order of appearance.
    pooled = PublishedValue.objects.of_communes()
    publishing = dict(
        pooled.values("indicator")
        .annotate(communes=Count("commune", distinct=True))
        .values_list("indicator", "communes")
    )
    indicators = list(Indicator.objects.order_by("position", "code"))
    for indicator in indicators:
        indicator.communes = publishing.get(indicator.code, 0)
    by_theme: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        by_theme.setdefault(indicator.theme, []).append(indicator)
    intercommunal = dict(
        PublishedValue.objects.of_intercommunalities()
        .values("indicator")
        .annotate(n=Count("member__intercommunality", distinct=True))
        .values_list("indicator", "n")
    )
    for indicator in indicators:
        indicator.intercommunalities = intercommunal.get(indicator.code, 0)
    themes = list(by_theme.items())
    communes = sorted_by_name(Commune.objects.filter(code__in=pooled.values("commune")))
    return render(
        request,
        "abs_shared/catalogue.html",
        {
            "themes": themes,
            "communes": communes,
            "intercommunalities": sorted_by_name(intercommunalities_that_published()),
        },
    )


def _indicator_rows(indicator: Indicator, year: int, kind: str) -> list[dict]:
    """Every pooled value of the indicator and year of one kind: the communes' (CCAS) or the
    intercommunalities' (CIAS), each ranked among its own kind only."""
    if kind == COMMUNE:
        pooled = (
            PublishedValue.objects.of_communes()
            .filter(indicator=indicator, year=year)
            .select_related("commune", "commune__departement")
        )
    else:
        pooled = (
            PublishedValue.objects.of_intercommunalities()
            .filter(indicator=indicator, year=year)
            .select_related("member__intercommunality", "commune", "commune__departement")
        )
    hidden = set() if kind == COMMUNE else hidden_intercommunal_counts({indicator.code})
    pooled = [_shown_pooled_value(p, hidden) for p in pooled]
    numbers = [p.value for p in pooled if p.status == ValueStatus.VALUE]
    # « 1 sur 2 » would rank nothing (presenters.MIN_PUBLISHERS; the table says why).
    ranked = len(numbers) >= presenters.MIN_PUBLISHERS
    rows = []
    for p in pooled:
        number = p.value if p.status == ValueStatus.VALUE else None
        place = p.commune if kind == COMMUNE else p.member.intercommunality
        rows.append(
            {
                "code": p.commune_id if kind == COMMUNE else place.siren,
                "nom": place.nom,
                # A CIAS's département and région are its seat commune's.
                "departement": p.commune.departement.nom,
                "departement_code": p.commune.departement_id,
                "region_code": p.commune.region_id,
                "population": place.population,
                "value": float(number) if number is not None else None,
                "status": p.status,
                "rank": rank(number, numbers, indicator.rank_polarity) if ranked else None,
                "source": p.source,
            }
        )
    # By name, so that equal values keep that order whatever the table is sorted by.
    return sorted_by_name(rows, lambda row: row["nom"])


def _shown_pooled_value(pooled: PublishedValue, hidden: HiddenCounts) -> PublishedValue:
    """A pooled row as the indicator page shows it: a CIAS's count that would give a commune's
    secret away is made secret (in memory only; see comparisons.hidden_intercommunal_counts)."""
    if not hidden:  # a commune's row, or no count to hide
        return pooled
    point = guard_intercommunal_count(
        pooled.member.intercommunality_id,
        pooled.indicator_id,
        pooled.year,
        Point(pooled.value, pooled.status, source=pooled.source),
        hidden,
    )
    pooled.value, pooled.status = point.value, point.status
    return pooled


def indicator_detail(request, code: str):
    indicator = get_object_or_404(Indicator, code=code.upper())
    years = sorted(
        {
            year
            for pooled in (
                PublishedValue.objects.of_communes(),
                PublishedValue.objects.of_intercommunalities(),
            )
            for year in pooled.filter(indicator=indicator).values_list("year", flat=True).distinct()
        },
        reverse=True,
    )
    year = _year(request, years, years[0] if years else None)
    warn_ignored_year(request, year, years, "publiée pour cet indicateur")
    asked = request.GET.get("tri")
    # Counts by name, never by value: sorted by value they would read as a ranking of the
    # communes' sizes (see presenters.COUNT_NOTE); `tri=valeur` is ignored for them.
    sorts = ("nom", "population") if indicator.is_count else ("nom", "population", "valeur")
    sort = asked if asked in sorts else ("nom" if indicator.is_count else "valeur")
    # By default the most fragile first.
    descending = request.GET.get("ordre", "") == "desc" or (
        request.GET.get("ordre") not in ("asc", "desc")
        and sort == "valeur"
        and indicator.polarity != Indicator.Polarity.LOWER_FRAGILE
    )
    rows, cias_rows = [], []
    if year is not None:
        rows = _sorted_rows(_indicator_rows(indicator, year, COMMUNE), sort, descending)
        cias_rows = _sorted_rows(
            _indicator_rows(indicator, year, INTERCOMMUNALITY), sort, descending
        )
    # Both tables exist even when empty: an export link always downloads a file, with its
    # caption and headers, never the page.
    table = presenters.indicator_table(indicator, year, rows)
    cias_table = presenters.indicator_table(indicator, year, cias_rows, INTERCOMMUNALITY)
    for shown in (table, cias_table):
        _sortable_headers(shown, year, sort, descending, sorts)
    # The chart's reference lines: the territories of the communes charted.
    references = _indicator_references(indicator, year, rows)
    demo = presenters.is_demo(*(row["source"] for row in rows + cias_rows))
    fmt = _export_format(request)
    exported, suffix = table, ""
    if request.GET.get("tableau") == "intercommunalites":
        exported, suffix = cias_table, "-intercommunalites"
    if fmt:
        name = f"{indicator.code}-{year}" if year else indicator.code
        return presenters.export_response(exported, fmt, f"{name}{suffix}", demo)
    bars = [charts.Bar(row["nom"], row["value"]) for row in rows if row["value"] is not None]
    chart = narrow_chart = None
    if bars and year and not indicator.is_count:  # a count is charted nowhere beside others
        drawn = (
            bars[:MAX_BARS],
            [(name, value) for name, value, _text in references if value is not None],
            presenters.formatter(indicator),
            f"{indicator.label}, {year} : valeur de chaque commune ayant publié",
            "Une barre par commune, dans l'ordre du tableau"
            + (f" (les {MAX_BARS} premières)" if len(bars) > MAX_BARS else "")
            + (" ; traits pointillés : territoires de référence" if references else "")
            + ". Valeurs secrètes non représentées.",
        )
        # Both are sent; the style sheet shows one, by the screen's width.
        chart, narrow_chart = charts.bar_chart(*drawn), charts.narrow_bar_chart(*drawn)
    return render(
        request,
        "abs_shared/indicator.html",
        {
            "indicator": indicator,
            "years": years,
            "year": year,
            "table": table,
            "cias_table": cias_table if cias_rows else None,
            # The key's line on ranks only where a table ranks (never for a count).
            "ranked": table.ranked or bool(cias_rows and cias_table.ranked),
            "chart": chart,
            "narrow_chart": narrow_chart,
            "references": references,
            "sort": sort,
            "sorts": sorts,
            "descending": descending,
            "demo": demo,
            "rows": rows,
            "cias_rows": cias_rows,
        },
    )


SORTABLE_COLUMNS = {0: "nom", 2: "population", 3: "valeur"}


def _sortable_headers(
    table, year: int, sort: str, descending: bool, sorts=("nom", "population", "valeur")
) -> None:
    """Each sortable header (among `sorts`) links to the table sorted by it; clicking the sorted
    one reverses it."""
    links, states = [], []
    for index in range(len(table.headers)):
        key = SORTABLE_COLUMNS.get(index)
        if key not in sorts:
            links.append(None)
            states.append(None)
            continue
        current = key == sort
        order = (
            ("asc" if descending else "desc") if current else ("asc" if key == "nom" else "desc")
        )
        links.append(f"?annee={year}&tri={key}&ordre={order}")
        states.append(("descending" if descending else "ascending") if current else None)
    table.header_links, table.header_sort = links, states


def _sorted_rows(rows: list[dict], sort: str, descending: bool) -> list[dict]:
    """Sort by name, population or value; secret values come last and are never sorted as numbers."""
    if sort == "nom":
        return sorted(rows, key=lambda row: fold(row["nom"]), reverse=descending)
    if sort == "population":
        return sorted(rows, key=lambda row: row["population"], reverse=descending)
    numbers = sorted(
        (r for r in rows if r["value"] is not None), key=lambda r: r["value"], reverse=descending
    )
    return numbers + [r for r in rows if r["value"] is None]


def _indicator_references(
    indicator: Indicator, year, rows: list[dict]
) -> list[tuple[str, float | None, str]]:
    """France, plus the régions and départements of the communes shown: (name, number for the
    chart or None, text as shown: "27,6 %", "s" for secret, "n.d." for missing). None for a
    count (see comparisons.compare_many)."""
    if year is None or indicator.is_count:
        return []
    wanted = {("france", FRANCE_CODE)}
    for row in rows:
        wanted.add(("departement", row["departement_code"]))
        if is_overseas(row["departement_code"]):
            # A DROM: its région is its département; its nation is France entière.
            wanted.add(("france", WHOLE_FRANCE_CODE))
        else:
            wanted.add(("region", row["region_code"]))
    names = {
        ("france", FRANCE_CODE): "France métropolitaine",
        ("france", WHOLE_FRANCE_CODE): "France",
    }
    names |= {
        ("region", r.code): r.nom for r in Region.objects.filter(code__in={c for _, c in wanted})
    }
    names |= {
        ("departement", d.code): d.nom
        for d in Departement.objects.filter(code__in={c for _, c in wanted})
    }
    found = []
    for ref in ReferenceValue.objects.filter(
        indicator=indicator, year=year, level__in=["france", "region", "departement"]
    ):
        if (ref.level, ref.code) in wanted:
            number = float(ref.value) if ref.status == ValueStatus.VALUE else None
            name = names.get((ref.level, ref.code), ref.code)
            found.append((ref.level, name, number, indicator.format(ref.value, ref.status)))
    # From the nearest territory to the widest, as the portrait's columns: EPCI, département,
    # région, France; by name within a level.
    widest = {"epci": 0, "departement": 1, "region": 2, "france": 3}
    found.sort(key=lambda item: (widest[item[0]], fold(item[1])))
    return [(name, number, text) for _level, name, number, text in found]


def commune_list(request):
    """Communes that published, then intercommunalities whose CIAS published (apart: a CIAS's
    values are not its seat commune's); a typed name goes through the tolerant matcher
    ("ST DENIS")."""
    query = request.GET.get("q", "").strip()
    suggestions = []
    intercommunalities = intercommunalities_that_published()
    communes = communes_that_published().select_related("departement")
    if query:
        # An intercommunality's exact name (or SIREN) leads to its portrait: "Plaine Commune" is
        # the intercommunality, not the commune of Plaine.
        typed = fold(query)
        for intercommunality in intercommunalities:
            if typed in (fold(intercommunality.nom), intercommunality.siren):
                return redirect("abs_intercommunality_portrait", siren=intercommunality.siren)
        communes = names_containing(communes, query)
        intercommunalities = names_containing(intercommunalities, query)
        # The official list knows homonyms and former names too: the one homonym that published
        # is meant (« Saint-Denis »: the 93's), a former name gives way to the commune that
        # published under a name starting with it (« Épinay »: Épinay-sur-Seine, offered, not
        # Mesnil-en-Ouche). The matched commune's portrait only if it is listed, or if nothing
        # that published is.
        listed = {commune.code for commune in communes}
        match = prefer_listed(match_commune(query), listed)
        if match.commune is not None and (
            match.commune.code in listed or not (communes or intercommunalities)
        ):
            return redirect("abs_portrait", insee=match.commune.code)
        suggestions = match.suggestions
    return render(
        request,
        "abs_shared/communes.html",
        {
            "communes": sorted_by_name(communes),
            "intercommunalities": sorted_by_name(intercommunalities),
            "query": query,
            "suggestions": suggestions,
        },
    )


def names_containing(places, typed: str) -> list:
    """The communes or intercommunalities whose name contains what was typed, whatever its
    accents, case, hyphens or « St » (« epinay » finds Épinay-sur-Seine), as the site search
    does. Folded in Python: the list holds the few hundred places that published, and
    PostgreSQL's `unaccent` is the knowledge base's extension (its migration creates it), which
    this app does not depend on."""
    wanted = compact(fold(typed))
    return [place for place in places if wanted in compact(fold(place.nom))]


def intercommunality_list(request):
    return redirect("/indicateurs/communes/#intercommunalites")


# --- portrait and comparison, shared with the member space --------------------------------


def portrait_context(
    subject: Subject,
    overrides: Overrides | None = None,
    year: int | None = None,
    member_space: bool = False,
    chosen: list[Commune] = (),
) -> dict:
    """Every indicator the commune or intercommunality has, for its latest year or for `year`
    (ignored unless the subject has values that year), beside references and peers, with its
    change since the previous published year. `member_space`: read by the subject's own CCAS
    or CIAS; `chosen`: communes set beside a commune, their published values of each row's
    year (as on the comparison page: comparisons.chosen_communes_values)."""
    points = subject_points(subject, overrides)
    years = available_years(points)
    year = year if year in years else None
    latest = latest_years(subject, points=points)
    indicators = Indicator.objects.filter(code__in=latest)
    pairs = [(indicator, year or latest[indicator.code]) for indicator in indicators]
    results = compare_many(subject, pairs, overrides)
    items = []
    for (indicator, _year), result in zip(pairs, results, strict=True):
        items.append(
            {
                "indicator": indicator,
                "result": result,
                "display": indicator.format_with_unit(result["value"], result["status"]),
                "chart": presenters.comparison_chart(result, indicator)
                if result["status"] == ValueStatus.VALUE and not indicator.is_count
                else None,
                # No box of fewer than MIN_PUBLISHERS values: the card says why.
                "too_few": result["status"] == ValueStatus.VALUE
                and not indicator.is_count
                and presenters.too_few(result["members"]),
            }
        )
        # The card's sentence, which the PDF prints under its chart word for word.
        items[-1]["too_few_note"] = (
            presenters.too_few_card(presenters.WORDS[subject.kind].group, member_space)
            if items[-1]["too_few"]
            else ""
        )
        # A count is compared with no other commune (presenters.COUNT_NOTE): no query for it.
        items[-1]["chosen"] = (
            chosen_communes_values(indicator, result["year"], list(chosen), result)
            if chosen and not indicator.is_count
            else []
        )
    shown = [(i["indicator"], i["result"]) for i in items]
    changes = {
        indicator.code: change_since_previous(indicator, points, shown_year)
        for indicator, shown_year in pairs
    }
    table = presenters.portrait_table(
        subject,
        shown,
        changes,
        year,
        member_space,
        chosen=list(chosen),
        beside={i["indicator"].code: i["chosen"] for i in items},
    )
    sources = [r["source"] for r in results] + [
        ref["source"] for r in results for ref in r["references"]
    ]
    sources += [other["source"] for item in items for other in item["chosen"]]
    return {
        "subject": subject,
        "words": presenters.WORDS[subject.kind],
        "portal_path": portal_path(subject),
        "compared_with": ", ".join(presenters.territory_names(subject, "de")),
        "lead": presenters.portrait_lead(subject),
        "items": items,
        "years": years,
        "year": year,
        "table": table,
        "distribution": presenters.distribution_table(subject, shown, member_space),
        "demo": presenters.is_demo(*sources),
        "drafts": any(r["draft"] for r in results),
        # The values compared (a member's own, drafts included), for the PDF's evolution charts.
        "overrides": overrides,
    }


def asked_year(request) -> int | None:
    """?annee= as a year, or None: "²" is a digit to str.isdigit() but not to int(). Portal and
    member pages alike."""
    return parse_digits(request.GET.get("annee", ""), 4)


def render_portrait(request, subject: Subject, overrides: Overrides | None = None, **extra):
    """The portrait page or its export (`?export=csv|xlsx`: its table; `?export=pdf`: the whole
    portrait, to print), for the year asked (`?annee=`) or each indicator's latest. A year that
    is not one of the subject's is ignored and said so on the page (never an error)."""
    asked = request.GET.get("annee", "").strip()
    choices, chosen = portrait_communes(request, subject)
    context = (
        portrait_context(
            subject, overrides, asked_year(request), extra.get("member_space", False), chosen
        )
        | extra
    )
    # The comparison page's control, and the choice kept by every link of the page.
    context["choices"] = choices
    context["chosen_codes"] = [commune.code for commune in chosen]
    context["max_chosen"] = MAX_CHOSEN
    context["chosen_query"] = chosen_query(chosen)
    context["query"] = urlencode(
        ([("annee", context["year"])] if context["year"] else [])
        + [("avec", commune.code) for commune in chosen]
    )
    served = context.get("served", True)
    context["nothing_published"] = presenters.nothing_published(
        subject, context.get("member_space", False), served=served
    )
    context["lead"] = presenters.portrait_lead(subject, served)
    territories = context.get("territories")
    if territories and not context["items"]:
        # A commune whose CCAS is no member: its files carry what its page shows, its
        # territories' reference values, said not to be the commune's.
        context["table"] = presenters.territories_table(subject, territories)
        context["demo"] = context["demo"] or territories["demo"]
    wants_pdf = request.GET.get("export") == PDF
    # A file carries no message: it would wait for the next page.
    if asked and context["year"] is None and not (_export_format(request) or wants_pdf):
        available = ", ".join(str(y) for y in context["years"]) or "aucune"
        messages.warning(
            request,
            f"Année « {asked[:20]} » ignorée : aucune valeur pour {subject.nom} cette année-là "
            f"(années disponibles : {available}). Dernière année disponible de chaque "
            "indicateur affichée.",
        )
    filename = f"portrait-{subject.code}" + (f"-{context['year']}" if context["year"] else "")
    if wants_pdf:
        from abs_shared.portrait_pdf import portrait_pdf  # reportlab: only for the PDF

        return download_response(portrait_pdf(context), PDF, f"{slugify(filename)}.pdf")
    return export_or_render(request, "abs_shared/portrait.html", context, filename)


def comparison_context(
    subject: Subject,
    indicator: Indicator,
    year: int | None,
    overrides: Overrides | None = None,
    chosen: list[Commune] = (),
    member_space: bool = False,
) -> dict:
    """The comparison of one indicator for one year (`chosen`: communes set beside a commune)
    and its series (the chosen communes' too); `member_space`: read by the subject's own CCAS
    or CIAS."""
    data = series(subject, indicator, overrides, list(chosen))
    # Newest first, as the portrait's and the indicator page's lists (the series stays oldest
    # → newest: a time axis).
    years = sorted(
        (p["year"] for p in data["points"] if p["status"] != ValueStatus.MISSING), reverse=True
    )
    year = year if year in years else (years[0] if years else None)
    context = {
        "subject": subject,
        "words": presenters.WORDS[subject.kind],
        "portal_path": portal_path(subject),
        "compared_with": ", ".join(presenters.territory_names(subject, "à")),
        "indicator": indicator,
        "years": years,
        "year": year,
        "series_table": presenters.series_table(data, indicator),
        "series_chart": presenters.series_chart(data, indicator),
        "demo": False,
        # What the export links keep of the page's choices.
        "query": urlencode(
            [("annee", year or "")] + [("avec", commune.code) for commune in chosen]
        ),
    }
    sources: list[str] = []
    if year is None:
        context["table"] = presenters.empty_comparison_table(subject.nom, indicator)
    else:
        result = compare(subject, indicator, year, overrides)
        others = chosen_communes_values(indicator, year, list(chosen), result) if chosen else []
        context["result"] = result
        context["table"] = presenters.comparison_table(result, indicator, others, member_space)
        context["chart"] = (
            presenters.comparison_chart(result, indicator, others)
            if result["status"] == ValueStatus.VALUE and not indicator.is_count
            else None
        )
        sources = [result["source"]] + [ref["source"] for ref in result["references"]]
        sources += [other["source"] for other in others]
    context["demo"] = presenters.is_demo(*sources)
    return context


def export_or_render(request, template: str, context: dict, filename: str):
    """`?export=csv|xlsx` exports the page's table (`?tableau=serie` the series); else the page."""
    fmt = _export_format(request)
    table = (
        context.get("series_table")
        if request.GET.get("tableau") == "serie"
        else context.get("table")
    )
    if fmt and table is not None:
        return presenters.export_response(table, fmt, filename, context["demo"])
    return render(request, template, context)


def subject_portrait(request, subject: Subject):
    return render_portrait(request, subject, link_base=portal_path(subject))


MAX_CHOSEN = 5


def publishing_communes(indicator: Indicator | None, subject: Subject) -> list[Commune]:
    """The other communes whose CCAS published the indicator (any year; `None`: any indicator,
    the portrait's choices), by name."""
    pooled = PublishedValue.objects.of_communes()
    if indicator is not None:
        pooled = pooled.filter(indicator=indicator)
    communes = Commune.objects.filter(code__in=pooled.values("commune")).exclude(code=subject.code)
    return sorted_by_name(communes)


def chosen_communes(
    request,
    choices: list[Commune],
    subject: Subject,
    *,
    unpublished: str = "pas publié cet indicateur",
    quiet: bool = False,
) -> list[Commune]:
    """The communes asked with `?avec=<insee>` (repeatable), in the order asked, at most
    MAX_CHOSEN; a code that is not among `choices` is ignored and said so (the page's own
    commune apart: it is no unknown code). The comparison page and the portrait share it:
    `unpublished` says what a refused commune did not publish; `quiet`: no message (a file,
    or codes only carried along to the next page)."""
    by_code = {commune.code: commune for commune in choices}
    chosen, refused, beyond, itself = [], [], 0, False
    # Read upper-cased, as the COG writes codes (« 2a004 »); an unknown one named back as typed.
    asked: dict[str, str] = {}
    for typed in request.GET.getlist("avec"):
        if typed.strip():
            asked.setdefault(typed.strip().upper(), typed.strip())
    for code, typed in asked.items():
        if code == subject.code:
            itself = True
        elif code not in by_code:
            refused.append(typed[:10])
        elif len(chosen) < MAX_CHOSEN:
            chosen.append(by_code[code])
        else:
            beyond += 1
    # A file carries no message: it would wait for the next page.
    if quiet or _export_format(request) or request.GET.get("export") == PDF:
        return chosen
    if itself:
        messages.warning(
            request,
            f"Commune ignorée : {subject.code} est la commune de cette page ({subject.nom}), "
            "déjà dans le tableau.",
        )
    if refused:
        messages.warning(
            request,
            # At most ten codes repeated back: a long query string must not make a long page.
            f"Commune(s) ignorée(s) : {', '.join(refused[:10])}{' …' if len(refused) > 10 else ''}"
            f" (code inconnu ou commune n'ayant {unpublished}).",
        )
    if beyond:
        messages.warning(
            request,
            f"{MAX_CHOSEN} communes au plus : seules les {MAX_CHOSEN} premières sont comparées.",
        )
    return chosen


def _communes_beside(
    request, subject: Subject, indicator: Indicator
) -> tuple[list[Commune], list[Commune]]:
    """The communes that may be set beside the subject's value, and those asked (`?avec=`).

    Communes only: a CIAS's values are compared with the other CIAS', never with communes. Not
    for a count either: it is compared with no other member (see presenters.COUNT_NOTE)."""
    if not subject.is_commune:
        return [], []
    if indicator.is_count:
        if request.GET.getlist("avec") and not _export_format(request):
            messages.warning(
                request,
                "Commune(s) choisie(s) ignorée(s) : un effectif ne se compare pas à celui "
                "d'autres communes (voir le taux correspondant).",
            )
        return [], []
    choices = publishing_communes(indicator, subject)
    return choices, chosen_communes(request, choices, subject)


def portrait_communes(request, subject: Subject, *, quiet: bool = False):
    """The communes that may be set beside a commune's portrait (those whose CCAS published
    anything) and those asked (`?avec=`), checked as on the comparison page. None for an
    intercommunality, as on its comparison page. `quiet`: no message, for the codes a comparison
    page carries to its other indicators and back to the portrait."""
    if not subject.is_commune:
        return [], []
    choices = publishing_communes(None, subject)
    chosen = chosen_communes(request, choices, subject, unpublished="rien publié", quiet=quiet)
    return choices, chosen


def chosen_query(chosen: list[Commune]) -> str:
    """The choice as the links that keep it write it: « avec=93048&avec=93066 »."""
    return urlencode([("avec", commune.code) for commune in chosen])


def render_comparison(
    request,
    subject: Subject,
    indicator: Indicator,
    year: int | None,
    overrides: Overrides | None = None,
    **extra,
):
    """The comparison page of one indicator or its export, with the communes asked beside a
    commune (`?avec=`). Shared by the portal and the member space (`overrides`: the member's own
    observations); the chosen communes' values are always their published ones."""
    choices, chosen = _communes_beside(request, subject, indicator)
    context = (
        comparison_context(
            subject, indicator, year, overrides, chosen, extra.get("member_space", False)
        )
        | extra
    )
    warn_ignored_year(request, context["year"], context["years"], f"pour {subject.nom}")
    context["choices"] = choices
    context["chosen_codes"] = [commune.code for commune in chosen]
    context["max_chosen"] = MAX_CHOSEN
    # The portrait's choice goes on to the subject's other indicators and back to the portrait,
    # a commune this indicator does not offer included (kept in the form as a hidden field; a
    # count's form offers no choice and keeps none: its links do).
    _offered, carried = portrait_communes(request, subject, quiet=True)
    offered = {commune.code for commune in choices}
    context["kept_codes"] = (
        [] if indicator.is_count else [c.code for c in carried if c.code not in offered]
    )
    context["carried_query"] = chosen_query(carried)
    context["other_indicators"] = Indicator.objects.filter(
        code__in=latest_years(subject, overrides)
    ).exclude(code=indicator.code)
    suffix = "-serie" if request.GET.get("tableau") == "serie" else ""
    shown_year = context["year"] or "aucune-annee"
    return export_or_render(
        request,
        "abs_shared/comparison.html",
        context,
        f"{subject.code}-{indicator.code}-{shown_year}{suffix}",
    )


def subject_indicator(request, subject: Subject, code: str):
    indicator = get_object_or_404(Indicator, code=code.upper())
    year = _year(request, list(range(1990, 2101)), None)
    return render_comparison(request, subject, indicator, year)


def covering_intercommunalities(commune: Commune) -> list[Intercommunality]:
    """The commune's EPCI and EPT whose CIAS published: values of the whole intercommunality,
    the commune's included, which its own portrait (its CCAS's values) does not show."""
    covering = sorted_by_name(
        intercommunalities_that_published().filter(siren__in=commune.intercommunality_sirens)
    )
    for intercommunality in covering:
        intercommunality.of_name = of_subject(intercommunality.nom)  # « d'Est Ensemble »
    return covering


def served_by_a_member(commune: Commune) -> bool:
    """Whether the commune's CCAS, or a CIAS of its EPCI or EPT, is a member of the union
    (suspended included: it has not left)."""
    members = MemberCCAS.objects.exclude(status=MemberCCAS.Status.LEFT)
    return members.filter(
        Q(kind=MemberCCAS.Kind.CCAS, commune=commune)
        | Q(kind=MemberCCAS.Kind.CIAS, intercommunality__in=commune.intercommunality_sirens)
    ).exists()


def territory_references(subject: Subject) -> dict | None:
    """The reference values of a commune's territories (intercommunality, département, région,
    France), each indicator at the latest year one of them has: what the portrait of a commune
    whose CCAS is no member can show. Never beside a commune value nor ranked (there is none);
    a territory without any value has no column. None when no territory has a value.

    Never a count's total, as everywhere else (comparisons.compare_many, _indicator_references):
    a territory's total minus its communes' published counts would give a secret count away
    (audit of session 32: this portrait and its exports showed the RSA and domiciliation totals)."""
    match = Q()
    for level, code, _name in subject.territories:
        match |= Q(level=level, code=code)
    values, sources = {}, {}
    references = ReferenceValue.objects.filter(match).exclude(indicator__unit=Indicator.Unit.COUNT)
    for level, code, indicator, year, value, status, source in references.values_list(
        "level", "code", "indicator_id", "year", "value", "status", "source"
    ):
        values[(indicator, year, level, code)] = (value, status)
        sources[(indicator, year, level, code)] = source
    if not values:
        return None
    latest = {}
    for indicator, year, _level, _code in values:
        latest[indicator] = max(year, latest.get(indicator, year))
    # Each column names its level: « Paris » alone would read as the commune.
    columns = [
        (
            level,
            code,
            f"{name} ({presenters.LEVEL_WORDS[level]})"
            if level in presenters.LEVEL_WORDS
            else name,
        )
        for level, code, name in subject.territories
        if any(key[2:] == (level, code) for key in values)
    ]
    rows, shown_sources = [], []
    for indicator in Indicator.objects.filter(code__in=latest):
        year = latest[indicator.code]
        cells, shown = [], []
        for level, code, _name in columns:
            value, status = values.get((indicator.code, year, level, code), (None, ""))
            status = status or ValueStatus.VALUE
            cells.append(indicator.format_with_unit(value, status))
            # As the page shows it (« n.d. » for a territory without a value that year), for
            # the portrait's exports (presenters.territories_table).
            shown.append((value, status))
            shown_sources.append(sources.get((indicator.code, year, level, code), ""))
        rows.append({"indicator": indicator, "year": year, "cells": cells, "values": shown})
    return {
        "columns": [name for _level, _code, name in columns],
        "rows": rows,
        # Named under the PDF's table, as a member portrait's « Sources des valeurs ».
        "sources": [source for source in dict.fromkeys(shown_sources) if source],
        # Invented values (the demo's) say so, on the page and in its files.
        "demo": presenters.is_demo(*shown_sources),
    }


def _city_of_arrondissement(request, insee: str):
    """For a municipal arrondissement's code (75111), a redirect to the same page of its city
    (75056), whose CCAS serves it, as the API and the search read the code; else None."""
    city = read_cog_codes().arrondissements.get(insee.upper())
    if city is None:
        return None
    query = request.META.get("QUERY_STRING", "")
    return redirect(
        request.path.replace(f"/{insee}/", f"/{city}/", 1) + (f"?{query}" if query else "")
    )


def commune_portrait(request, insee: str):
    if arrondissement := _city_of_arrondissement(request, insee):
        return arrondissement
    subject = _commune_or_404(insee)
    served = served_by_a_member(subject.seat)
    return render_portrait(
        request,
        subject,
        link_base=portal_path(subject),
        covering=covering_intercommunalities(subject.seat),
        served=served,
        # No value will come for this commune: its territories' say where they stand.
        territories=None if served else territory_references(subject),
    )


def commune_indicator(request, insee: str, code: str):
    if arrondissement := _city_of_arrondissement(request, insee):
        return arrondissement
    return subject_indicator(request, _commune_or_404(insee), code)


def intercommunality_portrait(request, siren: str):
    """The published values of an intercommunality's CIAS beside its references and the other
    CIAS."""
    return subject_portrait(request, _intercommunality_or_404(siren))


def intercommunality_indicator(request, siren: str, code: str):
    return subject_indicator(request, _intercommunality_or_404(siren), code)
