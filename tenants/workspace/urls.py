from django.urls import path

from tenants.workspace import views

urlpatterns = [
    path("", views.home, name="member_home"),
    path("documents/", views.documents, name="member_documents"),
    path("documents/<int:pk>/", views.download_document, name="member_document"),
]
