"""The board checklist: compliant as built; each rule failing alone; history by mandate."""

from datetime import date

import pytest

from tenants.workspace.compliance import check_board
from tests.workspace.conftest import Category, Seat, compliant_board, make_board, seat

pytestmark = pytest.mark.django_db


def results(members):
    compliance = check_board(members)
    return {rule.code: rule.ok for rule in compliance.rules}, compliance


def only_failing(members) -> str:
    outcome, compliance = results(members)
    failing = [code for code, ok in outcome.items() if not ok]
    assert len(failing) == 1, (failing, [r.detail for r in compliance.rules])
    assert not compliance.compliant
    return failing[0]


def test_a_full_board_is_compliant_and_each_rule_cites_its_article():
    outcome, compliance = results(compliant_board(None))
    assert compliance.compliant and all(outcome.values())
    assert list(outcome) == ["president", "parity", "group_sizes", "associations", "vice_president"]
    articles = {rule.code: rule.article for rule in compliance.rules}
    assert articles["group_sizes"] == "CASF R123-7"
    assert {articles[c] for c in ("president", "parity", "associations", "vice_president")} == {
        "CASF L123-6"
    }


def test_eight_and_eight_is_still_compliant():
    assert check_board(compliant_board(None, elected=8, appointed=8)).compliant


def test_no_president_fails_alone():
    members = [m for m in compliant_board(None) if m.seat != Seat.PRESIDENT]
    assert only_failing(members) == "president"
    assert "Aucun président" in check_board(members).rules[0].detail


def test_two_presidents_fail_alone():
    members = compliant_board(None) + [seat(None, "Autre", "Maire", Seat.PRESIDENT)]
    assert only_failing(members) == "president"


def test_unequal_groups_fail_parity_alone():
    members = compliant_board(None, elected=4, appointed=5)
    assert only_failing(members) == "parity"
    assert "4 élus et 5 nommés" in check_board(members).rules[1].detail


@pytest.mark.parametrize("size", [9, 10])
def test_too_many_of_each_fail_the_size_rule_alone(size):
    members = compliant_board(None, elected=size, appointed=size)
    assert only_failing(members) == "group_sizes"
    assert f"{size} élus et {size} nommés" in check_board(members).rules[2].detail


def test_too_few_fail_the_size_rule():
    outcome, compliance = results(compliant_board(None, elected=3, appointed=3))
    assert not outcome["group_sizes"] and outcome["parity"]


@pytest.mark.parametrize(
    "missing", [Category.FAMILY, Category.INCLUSION, Category.ELDERLY, Category.DISABILITY]
)
def test_each_missing_association_category_fails_alone(missing):
    members = compliant_board(None)
    for m in members:
        if m.category == missing:
            m.category = Category.OTHER
    assert only_failing(members) == "associations"
    detail = check_board(members).rules[3].detail
    assert Category(missing).label in detail


def test_a_category_held_by_an_elected_member_does_not_count():
    members = compliant_board(None)
    family = next(m for m in members if m.category == Category.FAMILY)
    family.category = Category.OTHER
    members[1].category = Category.FAMILY  # an élu: not a nommé
    assert only_failing(members) == "associations"


def test_no_vice_president_fails_alone():
    members = compliant_board(None)
    for m in members:
        m.is_vice_president = False
    assert only_failing(members) == "vice_president"


def test_two_vice_presidents_fail_alone():
    members = compliant_board(None)
    members[-1].is_vice_president = True
    assert only_failing(members) == "vice_president"


def test_the_president_cannot_be_vice_president():
    members = compliant_board(None)
    for m in members:
        m.is_vice_president = m.seat == Seat.PRESIDENT
    assert only_failing(members) == "vice_president"


def test_someone_whose_seat_ended_no_longer_counts(bondy):
    from django_tenants.utils import schema_context

    from tenants.workspace.compliance import current_mandate, mandate_compliance

    mandate = make_board(bondy, elected=5, appointed=5)
    with schema_context(bondy.schema_name):
        assert mandate_compliance(current_mandate()).compliant
        nomme = mandate.members.filter(category=Category.DISABILITY).get()
        nomme.end = date(2023, 3, 1)
        nomme.save()
        compliance = mandate_compliance(current_mandate())
        assert {r.code for r in compliance.failures} == {"parity", "associations"}
