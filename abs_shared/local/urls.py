"""Member-host pages of the ABS, under /abs/."""

from django.urls import path

from abs_shared.local import views

urlpatterns = [
    path("", views.index, name="abs_local_index"),
    path("observations/ajouter/", views.observation_form, name="abs_local_add"),
    path("observations/<int:pk>/modifier/", views.observation_form, name="abs_local_edit"),
    path("observations/<int:pk>/supprimer/", views.observation_delete, name="abs_local_delete"),
    path("importer/", views.import_file, name="abs_local_import"),
    path("modele.<str:fmt>", views.import_template, name="abs_local_template"),
    path("valider/", views.bulk_action, {"action": "valider"}, name="abs_local_validate"),
    path("publier/", views.bulk_action, {"action": "publier"}, name="abs_local_publish"),
    path("retirer/", views.bulk_action, {"action": "retirer"}, name="abs_local_retract"),
    path("portrait/", views.portrait, name="abs_local_portrait"),
    path("comparaison/<str:code>/", views.comparison, name="abs_local_comparison"),
]
