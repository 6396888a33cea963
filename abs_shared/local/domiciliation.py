"""One figure typed twice: the DOMIC indicator (« Élections de domicile actives ») and the
activity report's « Domiciliations actives au 31 décembre » count the same people, the ones the
CCAS or CIAS domiciles at the end of the year (DOMAIN.md). The ABS value form shows the report's
figure of its year beside the field, with « Reprendre ce chiffre »: a link (a GET parameter that
reloads the form with the figure typed in) that abs_shared/take_figure.js, when scripts run, turns
into typing it in place, so that nothing else typed on the form is lost. The list and the
dashboard say discreetly where a validated value differs.

Reads the member's own schema only (its activity figures and observations): one member's report
never reaches another's form.
"""

from dataclasses import dataclass
from decimal import Decimal

from django_tenants.utils import schema_context

from tenants.models import MemberCCAS
from union.formats import french_number, plural

DOMIC = "DOMIC"
# The GET parameter of « Reprendre ce chiffre »: the form opens with the report's figure typed in.
TAKE_PARAMETER = "reprendre"
TAKE_VALUE = "activite"


@dataclass(frozen=True)
class ReportFigure:
    """The report's count of people domiciled on 31 December of `year`."""

    year: int
    count: int

    @property
    def sentence(self) -> str:
        """« Rapport d'activité 2025 : 412 domiciliations actives au 31 décembre »."""
        people = plural(self.count, "domiciliation active", "domiciliations actives")
        return f"Rapport d'activité {self.year} : {people} au 31 décembre"

    @property
    def taken_sentence(self) -> str:
        """What the form says once the figure is typed in, by the link (a notice on the page
        reloaded) or by the script (its status line): « Chiffre repris du rapport d'activité
        2025 (412) : vérifiez-le, puis enregistrez. »"""
        return (
            f"Chiffre repris du rapport d'activité {self.year} ({french_number(self.count)}) : "
            "vérifiez-le, puis enregistrez."
        )

    @property
    def typed(self) -> str:
        """As the value field takes it (« 412 »: a count, no decimals)."""
        return str(self.count)


def report_count(year: int) -> int | None:
    """The activity report's « Domiciliations actives au 31 décembre » of `year`, as the
    domiciliation page reads it (activity.domiciliation_figures: the pole and the category
    compared folded, so an imported « DOMICILIATIONS ACTIVES AU 31 DECEMBRE » is the same line);
    None when not entered. Reads the current schema: the caller sets the member's."""
    from tenants.workspace.activity import domiciliation_figures

    return next(figure.count for figure in domiciliation_figures(year) if figure.code == "active")


def activity_figure(
    member: MemberCCAS, indicator_code: str, year: int | None
) -> ReportFigure | None:
    """The report's figure to show beside a DOMIC value of `year`; None for another indicator,
    no year, or a report without it."""
    if indicator_code != DOMIC or year is None:
        return None
    with schema_context(member.schema_name):
        count = report_count(year)
    return None if count is None else ReportFigure(year, count)


@dataclass(frozen=True)
class Mismatch:
    """A validated DOMIC value that differs from the report of its year; `published`: the
    pool holds it as it stands (the list says « Publiée le … », so the note says « publiée »)."""

    observation_pk: int
    year: int
    value: Decimal
    count: int
    published: bool = False

    @property
    def sentence(self) -> str:
        shown = french_number(self.value, 0)
        report = ReportFigure(self.year, self.count).sentence.removeprefix(
            f"Rapport d'activité {self.year} : "
        )
        state = "publiée" if self.published else "validée"
        return (
            f"Élections de domicile actives {self.year} : {shown} dans les indicateurs ABS "
            f"(valeur {state}), {report} dans le rapport d'activité {self.year}. Les deux "
            "comptent les mêmes personnes : vérifiez l'un ou l'autre."
        )


def mismatches(member: MemberCCAS) -> list[Mismatch]:
    """The member's validated DOMIC values (published or not) whose number differs from the
    activity report of the same year, oldest first. A draft is still being typed; a secret or
    missing value has no number to set beside the report's."""
    from abs_shared.local.models import Observation
    from abs_shared.models import ValueStatus

    with schema_context(member.schema_name):
        validated = Observation.objects.filter(
            indicator_id=DOMIC, state=Observation.State.VALIDATED, status=ValueStatus.VALUE
        ).order_by("year")
        differing = []
        for observation in validated:  # one a year at most: one query each for its report
            count = report_count(observation.year)
            if count is not None and observation.value != count:
                differing.append(
                    Mismatch(
                        observation.pk,
                        observation.year,
                        observation.value,
                        count,
                        published=observation.is_published,
                    )
                )
        return differing
