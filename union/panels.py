"""Admin panels shared by the apps' page models."""

from wagtail.admin.panels import InlinePanel


class NamedAddInlinePanel(InlinePanel):
    """An InlinePanel whose add button says `add_label` in full (« Ajouter un atelier »):
    Wagtail's French button reads « Ajouter un(e) <label> » and has no argument to change it."""

    def __init__(self, *args, add_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.add_label = add_label

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "add_label": self.add_label}

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "wagtailadmin/panels/inline_panel_named_add.html"
