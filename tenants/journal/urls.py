from django.urls import path

from tenants.journal import views

app_name = "journal"
urlpatterns = [path("", views.journal, name="journal")]
