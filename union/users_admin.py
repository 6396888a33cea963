"""The admin's users listing (/admin/users/) with a « Groupes » column: who is an administrator,
an editor, a moderator or an organiser is read at a glance, without opening each account."""

from django.contrib.auth.models import Group
from django.db.models import Prefetch
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column
from wagtail.users.views.users import IndexView, UserViewSet

NO_GROUP = "aucun groupe"


def groups_label(user) -> str:
    """The account's groups, alphabetically (prefetched by the listing), « aucun groupe »."""
    names = sorted(group.name for group in user.groups.all())
    return ", ".join(names) if names else NO_GROUP


class UnionUserIndexView(IndexView):
    @cached_property
    def columns(self):
        columns = list(super().columns)
        # After the username: the access level, the state and the last login follow.
        position = next(
            (i + 1 for i, column in enumerate(columns) if column.name == self.model.USERNAME_FIELD),
            len(columns),
        )
        columns.insert(
            position,
            Column("groups", label="Groupes", accessor=groups_label, classname="groups"),
        )
        return columns

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        )


class UnionUserViewSet(UserViewSet):
    index_view_class = UnionUserIndexView

    def get_form_class(self, for_update=False):
        # No free username: the address is the identifier (union.user_forms).
        from union.user_forms import UnionUserCreationForm, UnionUserEditForm

        return UnionUserEditForm if for_update else UnionUserCreationForm
