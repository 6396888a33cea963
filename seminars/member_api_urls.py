"""API routes of seminars under /api/v1/ on a member host."""

from django.urls import path

from seminars import member_api

urlpatterns = [
    path("seminars/", member_api.MemberSeminarList.as_view(), name="api-member-seminars"),
    path(
        "seminars/<int:pk>/registrations/",
        member_api.MemberRegistrationCreate.as_view(),
        name="api-member-seminar-registrations",
    ),
    path(
        "seminars/<int:pk>/registrations/<int:registration_pk>/cancel",
        member_api.MemberRegistrationCancel.as_view(),
        name="api-member-seminar-registration-cancel",
    ),
]
