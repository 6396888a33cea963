"""Panels that other apps contribute to the member dashboard, in display order (panels that say
`"wide": True`, holding a wide table, come after the others and the activity card)."""

PANELS = [
    "abs_shared.local.dashboard.panel",
    "seminars.dashboard.panel",
    "knowledge_base.dashboard.panel",
]
