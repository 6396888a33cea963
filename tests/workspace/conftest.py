"""Builders for the member workspace tests: boards, activity figures, people of each role."""

from datetime import date

import pytest
from django_tenants.utils import schema_context

from tenants.models import Membership
from tenants.workspace.models import ActivityFigure, BoardMandate, BoardMember
from tests.conftest import make_person, member_client

Seat = BoardMember.Seat
Category = BoardMember.Category
MANDATE_START = date(2020, 7, 1)


def seat(mandate, first, last, seat_kind, category="", vice=False, **extra):
    return BoardMember(
        mandate=mandate,
        first_name=first,
        last_name=last,
        seat=seat_kind,
        category=category,
        association=f"Association {last}" if category else "",
        is_vice_president=vice,
        start=extra.pop("start", MANDATE_START),
        **extra,
    )


def compliant_board(mandate, elected: int = 4, appointed: int = 4) -> list[BoardMember]:
    """Unsaved seats: a maire, `elected` élus (the first is vice-président), `appointed` nommés
    covering the four categories."""
    members = [seat(mandate, "Stéphane", "Maire", Seat.PRESIDENT)]
    members += [
        seat(mandate, f"Élu{i}", f"Conseil{i}", Seat.ELECTED, vice=(i == 0)) for i in range(elected)
    ]
    categories = [Category.FAMILY, Category.INCLUSION, Category.ELDERLY, Category.DISABILITY]
    members += [
        seat(
            mandate,
            f"Nommé{i}",
            f"Asso{i}",
            Seat.APPOINTED,
            category=categories[i] if i < 4 else Category.OTHER,
        )
        for i in range(appointed)
    ]
    return members


def make_board(member, **kwargs) -> BoardMandate:
    """A saved compliant board in `member`'s schema (current mandate 2020-2026)."""
    with schema_context(member.schema_name):
        mandate = BoardMandate.objects.create(label="2020-2026", start=MANDATE_START)
        BoardMember.objects.bulk_create(compliant_board(mandate, **kwargs))
    return mandate


def add_figures(member, *figures) -> None:
    """figures: (year, pole, category, count, amount)."""
    with schema_context(member.schema_name):
        ActivityFigure.objects.bulk_create(
            ActivityFigure(year=y, pole=p, category=c, count=n, amount=a)
            for y, p, c, n, a in figures
        )


@pytest.fixture
def people(bondy):
    """A director, an agent and a viewer of bondy."""
    return {
        role: make_person(bondy, f"{role}@bondy.test", role)
        for role in (Membership.Role.DIRECTOR, Membership.Role.AGENT, Membership.Role.VIEWER)
    }


@pytest.fixture
def clients(bondy, people):
    return {role: member_client(bondy, user) for role, user in people.items()}
