"""Panels that other apps contribute to the member dashboard, in display order."""

PANELS = [
    "abs_shared.local.dashboard.panel",
    "seminars.dashboard.panel",
    "knowledge_base.dashboard.panel",
]
