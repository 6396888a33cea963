from django.urls import path

from tenants import api

urlpatterns = [
    path("members/", api.MemberList.as_view(), name="api-members"),
    path("communes/", api.CommuneMatch.as_view(), name="api-communes"),
]
