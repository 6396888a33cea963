"""Portal pages about members: the directory; and a new person's first visit (the page where
she chooses her password from the invitation's link)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from tenants.matching import compact, fold, found_by
from tenants.models import Departement, MemberCCAS, Membership, departement_sort_key
from tenants.services import member_url


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The single-use link of an invitation (or a reset): Django's page, after which the person
    is signed in on the portal and lands on « Mes espaces », with « Entrer dans l'espace »,
    rather than on a page telling her to sign in with the password she just typed."""

    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = "/compte/"

    def get_form(self, form_class=None):
        """Errors that say what to type, rather than Django's « Champ requis. »."""
        form = super().get_form(form_class)
        form.fields["new_password1"].error_messages["required"] = (
            "Saisissez le mot de passe que vous choisissez."
        )
        form.fields["new_password2"].error_messages["required"] = (
            "Saisissez une seconde fois le même mot de passe, pour vérification."
        )
        return form

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        spaces = list(
            Membership.objects.filter(user=user, member__status=MemberCCAS.Status.ACTIVE)
            .select_related("member")
            .order_by("member__name")
        )
        if not spaces and user.has_perm("wagtailadmin.access_admin"):
            # A union colleague: her work is in the administration, not in member spaces.
            messages.success(
                self.request, "Votre mot de passe est enregistré et vous êtes connecté(e)."
            )
            return redirect("wagtailadmin_home")
        if len(spaces) == 1:
            where = f"entrez dans l'espace « {spaces[0].member.name} » ci-dessous"
        elif spaces:
            where = "choisissez ci-dessous l'espace où entrer"
        else:
            where = "votre compte n'est encore rattaché à aucun espace membre actif"
        messages.success(
            self.request, f"Votre mot de passe est enregistré et vous êtes connecté(e) : {where}."
        )
        return response


def member_directory(request):
    """Every active member: commune, EPCI/EPT, population, link to its space, and what its director
    chose to publish (name, services, contact). Filter by name, département."""
    members = (
        MemberCCAS.objects.filter(status=MemberCCAS.Status.ACTIVE)
        .select_related(
            "commune",
            "commune__epci",
            "commune__ept",
            "commune__departement",
            "intercommunality",
            "public_profile",
        )
        .order_by("commune__nom")
    )
    query = request.GET.get("q", "").strip()
    departement = request.GET.get("departement", "").strip().upper()  # « 2a »
    if departement:
        members = members.filter(commune__departement_id=departement)
    if query:
        members = [member for member in members if listed_for(member, query)]
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    for member in page:
        member.space_url = member_url(member, "/", request)
    departements = sorted(
        Departement.objects.filter(communes__members__isnull=False).distinct(),
        key=lambda found: departement_sort_key(found.code),
    )
    return render(
        request,
        "tenants/directory.html",
        {
            "page": page,
            "query": query,
            "departement": departement,
            "departements": departements,
            "cog_vintage": settings.COG_VINTAGE,
        },
    )


def listed_for(member: MemberCCAS, typed: str) -> bool:
    """Whether the directory lists `member` for a search: as the admin's member list finds it
    (INSEE code; names whatever the accents, case, hyphens or « St »: « st denis »,
    « epinay »), or by the name its director published. Folded in Python: the union has a few
    hundred members at most."""
    if found_by(member, typed):
        return True
    profile = getattr(member, "public_profile", None)
    wanted = compact(fold(typed))
    return bool(profile and profile.name and wanted) and wanted in compact(fold(profile.name))
