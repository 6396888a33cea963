"""The last sign-in per member space (Membership.last_signed_in_at), set from now on by every login
on a member host (tenants.models.note_member_sign_in).

For existing rows, the only date there is, User.last_login, is one date for all of a person's
spaces and the portal. It is copied for people with exactly one membership, and only when it
follows the access's opening: such a login can only have been to that space, or to the portal
on the way to it (« Mes espaces »). For someone with two spaces it may belong to either: copying
it would show a team a sign-in that happened in another space (what this field is for: a team
learns nothing of the person's other spaces). For them, the last hand-over link to that space
that was used (HandoverLink.used_at: one sign-in there, surely) is taken when there is one; else
the space says « jamais connecté(e) » until her next sign-in there.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, F, Max, OuterRef, Subquery


def copy_sign_ins_known_per_space(apps, schema_editor):
    Membership = apps.get_model("tenants", "Membership")
    HandoverLink = apps.get_model("tenants", "HandoverLink")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    one_space = (
        Membership.objects.values("user_id")
        .annotate(spaces=Count("id"))
        .filter(spaces=1)
        .values("user_id")
    )
    Membership.objects.filter(user_id__in=one_space, user__last_login__gte=F("created_at")).update(
        last_signed_in_at=Subquery(
            User.objects.filter(pk=OuterRef("user_id")).values("last_login")[:1]
        )
    )
    last_handover = (
        HandoverLink.objects.filter(
            user_id=OuterRef("user_id"),
            member_id=OuterRef("member_id"),
            used_at__gte=OuterRef("created_at"),  # not before an access removed and given again
        )
        .order_by()
        .values("user_id")
        .annotate(last=Max("used_at"))
        .values("last")[:1]
    )
    Membership.objects.exclude(user_id__in=one_space).update(
        last_signed_in_at=Subquery(last_handover)
    )


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("tenants", "0004_one_cias_per_intercommunality"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="last_signed_in_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="dernière connexion à l'espace"
            ),
        ),
        migrations.RunPython(copy_sign_ins_known_per_space, migrations.RunPython.noop),
    ]
