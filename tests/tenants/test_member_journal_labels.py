"""Every action written in a member's space has a French label in its journal.

The journal page shows ACTION_LABELS[action]; an action missing there shows its code
(« board.renewed ») to the CCAS's direction. The audit calls are read from the source, so a new
`record_audit(..., member=...)` without a label fails here rather than in front of a director.
"""

import ast
from pathlib import Path

from tenants.journal.services import ACTION_LABELS, KINDS

ROOT = Path(__file__).resolve().parents[2]
APPS = ["tenants", "abs_shared", "knowledge_base", "seminars", "union"]
# Written while the connection is on the public schema (onboarding, the union changing a
# member's status): they never reach a member's journal.
PORTAL_ONLY = {"member.onboarded", "member.status"}


def member_audit_actions() -> dict[str, str]:
    """action -> "file:line" of each record_audit call that names a member."""
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not (isinstance(node, ast.Call) and _called_name(node) == "record_audit"):
                    continue
                if "member" not in {keyword.arg for keyword in node.keywords}:
                    continue
                action = node.args[0]
                assert isinstance(action, ast.Constant), (
                    f"{path.relative_to(ROOT)}:{node.lineno}: a member's action should be a "
                    "literal, so that its label can be checked"
                )
                found[action.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def _called_name(call: ast.Call) -> str:
    return getattr(call.func, "id", None) or getattr(call.func, "attr", "")


def test_the_source_scan_finds_the_member_actions():
    actions = member_audit_actions()
    # Guards the scan itself: it must see the calls of each part of the member space.
    assert {"document.added", "board.renewed", "abs.publish", "membership.granted"} <= set(actions)
    assert "experience.proposed" in actions


def test_every_member_action_has_a_french_label():
    missing = {
        action: where
        for action, where in member_audit_actions().items()
        if action not in ACTION_LABELS and action not in PORTAL_ONLY
    }
    assert missing == {}, f"Add these to tenants.journal.services.ACTION_LABELS: {missing}"


def test_every_member_action_falls_under_a_filter_kind():
    prefixes = tuple(prefix for _label, prefix in KINDS.values())
    unfiltered = sorted(
        action
        for action in member_audit_actions()
        if action not in PORTAL_ONLY and not action.startswith(prefixes)
    )
    assert unfiltered == []
