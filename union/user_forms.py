"""The identifier of an account is its e-mail address (README: « L'identifiant est l'adresse
e-mail »): what the set-password e-mail and « Mon compte » show, what one types to sign in.

- Paramètres › Utilisateurs (Wagtail's users viewset, union.users_admin) creates and edits an
  account without a free username: the username is the address, in lower case, and no other
  account may use that address (as a username or an e-mail, whatever the case). Invitations
  (tenants.services) already create accounts that way.
- Signing in (the portal's and member hosts' /connexion/, Wagtail's /admin/login/, the API's
  /api/v1/auth/token/) looks the typed identifier up with `login_username`: the address, whatever
  its case, then the username, so that an older account whose username differs from its address
  still signs in with either.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.users.forms import UserCreationForm, UserEditForm

from union.account_erasure import is_erased

ADDRESS_TAKEN = (
    "Un compte utilise déjà l'adresse {address} : ouvrez-le dans la liste des utilisateurs "
    "plutôt que d'en créer un second."
)


# The address is the username, Django's 150 characters, though an address may have 254: a longer
# one, accepted by the e-mail field, failed at the database (a 500) when the account was opened.
USERNAME_LENGTH = 150
ADDRESS_TOO_LONG = (
    "Adresse trop longue : 150 caractères au plus, car elle sert d'identifiant de connexion."
)


def address_fits_username(address: str) -> None:
    """Validator of every field whose address opens an account (ADDRESS_TOO_LONG)."""
    if len((address or "").strip()) > USERNAME_LENGTH:
        raise forms.ValidationError(ADDRESS_TOO_LONG, code="too_long")


def login_username(typed: str) -> str:
    """The username to authenticate for what a person typed as her identifier: that of the one
    account with this address (any case), else that of the account with this username (exact,
    else the one differing by case only); else what she typed (which then fails as Django's
    authentication fails)."""
    typed = (typed or "").strip()
    if not typed:
        return typed
    users = get_user_model()._default_manager
    by_address = list(users.filter(email__iexact=typed).values_list("username", flat=True)[:2])
    if len(by_address) == 1:
        return by_address[0]
    if users.filter(username=typed).exists():
        return typed
    # One account only: two usernames differing by case (created by hand) stay exact.
    same = list(users.filter(username__iexact=typed).values_list("username", flat=True)[:2])
    return same[0] if len(same) == 1 else typed


class AddressLoginMixin:
    """For a sign-in form (Django's AuthenticationForm): the identifier is looked up by
    `login_username` before Django authenticates it."""

    def clean_username(self):
        return login_username(self.cleaned_data["username"])


class AddressIsUsernameMixin:
    """Wagtail's user form without a username field: the address, lower-cased, is the username.
    Wagtail's form sets the username field up in its __init__: the field is dropped after."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["username"]
        self.fields["email"].help_text = "Elle sert d'identifiant pour se connecter."

    def separate_username_field(self):
        # Wagtail's create and edit templates show the username field only when this is true.
        return False

    def clean_email(self):
        address = self.cleaned_data["email"].strip().lower()
        address_fits_username(address)
        others = get_user_model()._default_manager.all()
        if self.instance.pk is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.filter(Q(username__iexact=address) | Q(email__iexact=address)).exists():
            raise forms.ValidationError(ADDRESS_TAKEN.format(address=address), code="taken")
        return address

    def _post_clean(self):
        address = self.cleaned_data.get("email")
        if address:
            self.instance.username = address
        super()._post_clean()


class UnionUserCreationForm(AddressIsUsernameMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ["username", "email", "first_name", "last_name", "is_superuser", "groups"]


ERASED_STAYS_CLOSED = (
    "Les données personnelles de ce compte ont été effacées (RGPD) : il ne peut pas être "
    "réactivé, ni recevoir de droits ou une adresse. Si la personne revient, créez-lui un nouveau compte."
)


class UnionUserEditForm(AddressIsUsernameMixin, UserEditForm):
    def clean(self):
        cleaned = super().clean()
        # An erased account names no one (union.account_erasure): reopening it would give a
        # person the journal lines and rights of someone else, or of no one.
        if is_erased(self.instance) and (
            cleaned.get("is_active")
            or cleaned.get("is_superuser")
            or cleaned.get("groups")
            or cleaned.get("email", self.instance.email) != self.instance.email
        ):
            raise forms.ValidationError(ERASED_STAYS_CLOSED, code="erased")
        return cleaned

    class Meta(UserEditForm.Meta):
        fields = [
            "username",
            "email",
            "first_name",
            "last_name",
            "is_active",
            "is_superuser",
            "groups",
        ]
