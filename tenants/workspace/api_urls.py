from django.urls import path

from tenants.workspace import api

urlpatterns = [
    path("documents/", api.DocumentList.as_view(), name="api-documents"),
]
