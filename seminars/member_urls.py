"""Member-host pages of seminars (mounted under /evenements/ by union/urls_member.py)."""

from django.urls import path

from seminars import member_views

urlpatterns = [
    path("<int:pk>/inscrire/", member_views.register_for_member, name="member_register"),
    path(
        "<int:pk>/inscriptions/<int:registration_pk>/desinscrire/",
        member_views.cancel_for_member,
        name="member_cancel_registration",
    ),
]
