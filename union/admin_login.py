"""The Wagtail admin's sign-in form (WAGTAILADMIN_USER_LOGIN_FORM) with its password field
labelled in French: Wagtail's LoginForm declares the field without a label, so Django derives
« Password » from its name, which no translation reaches."""

from wagtail.admin.forms.auth import LoginForm

from union.user_forms import AddressLoginMixin


class AdminLoginForm(AddressLoginMixin, LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "Mot de passe"
