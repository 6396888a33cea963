"""Wagtail admin for union staff (admins and editors): the indicator catalogue and reference imports."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms import modelform_factory
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from abs_shared import admin_views
from abs_shared.admin_views import ABS_STAFF, is_abs_staff
from abs_shared.models import CATALOGUE_FIELDS, Indicator
from abs_shared.services import values_held
from union.formats import french_list


class AbsStaffPolicy(BasePermissionPolicy):
    """Union admins and editors edit the catalogue. Nobody deletes an indicator from the admin:
    published and reference values point to it."""

    def user_has_permission(self, user, action):
        return action != "delete" and is_abs_staff(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if set(actions) <= {"delete"}:
            return users.none()
        return users.filter(Q(is_superuser=True) | Q(groups__name__in=ABS_STAFF)).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


register_permission_policy(Indicator, AbsStaffPolicy(Indicator), exact_class=True)

INDICATOR_FIELDS = [*CATALOGUE_FIELDS, "position"]


class IndicatorForm(forms.ModelForm):
    """The catalogue's form. An indicator's unit is fixed once values exist: pooled values made
    secret by a count's threshold would not be rechecked, and rates would read as counts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].help_text = (
            "Fixée dès qu'une valeur de l'indicateur est publiée ou importée comme "
            "référence : pour une autre unité, créez un nouvel indicateur. Les valeurs que des "
            "membres ont déjà saisies, que l'union ne voit pas, ne seront ni validées ni "
            "publiées avant qu'ils les aient vérifiées dans la nouvelle unité."
        )

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        indicator = self.instance
        if indicator._state.adding or unit == indicator.unit:
            return unit
        held = values_held(indicator)
        if held:
            raise forms.ValidationError(
                f"L'unité ne peut plus être changée : cet indicateur a déjà "
                f"{french_list(held)} en « {indicator.unit_label} », qui seraient "
                "lues dans la nouvelle unité (un taux pris pour un effectif) sans que le secret "
                "statistique soit revu. Pour une autre unité, créez un nouvel indicateur (avec "
                "un autre code) ; celui-ci garde ses valeurs (changez au besoin son libellé "
                "ou son ordre d'affichage)."
            )
        return unit


class IndicatorViewSet(ModelViewSet):
    model = Indicator
    icon = "list-ul"
    menu_label = "Catalogue ABS"
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["label", "code", "unit", "theme", "polarity"]
    search_fields = ["label", "code", "theme"]
    form_fields = INDICATOR_FIELDS
    pk_path_converter = "str"

    def get_form_class(self, for_update=False):
        # The code is the indicator's identity (pooled values point to it): fixed once created.
        fields = [name for name in INDICATOR_FIELDS if not (for_update and name == "code")]
        return modelform_factory(
            self.model,
            form=IndicatorForm,
            formfield_callback=self.formfield_for_dbfield,
            fields=fields,
        )


@hooks.register("register_admin_viewset")
def register_indicator_viewset():
    return IndicatorViewSet("abs_indicators")


class AbsStaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_abs_staff(request.user)


@hooks.register("register_admin_urls")
def register_reference_urls():
    urls = [path("", admin_views.references, name="references")]
    return [path("abs/references/", include((urls, "abs_admin")))]


@hooks.register("register_admin_menu_item")
def register_reference_menu_item():
    return AbsStaffMenuItem(
        "Références ABS", reverse("abs_admin:references"), icon_name="table", order=261
    )
