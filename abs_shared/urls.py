"""Portal pages of abs_shared (public URLconf)."""

from django.urls import path

from abs_shared import views

urlpatterns = [
    path("indicateurs/", views.catalogue, name="abs_catalogue"),
    path("indicateurs/communes/", views.commune_list, name="abs_communes"),
    path("indicateurs/communes/<str:insee>/", views.commune_portrait, name="abs_portrait"),
    path(
        "indicateurs/communes/<str:insee>/<str:code>/",
        views.commune_indicator,
        name="abs_commune_indicator",
    ),
    path(
        "indicateurs/intercommunalites/",
        views.intercommunality_list,
        name="abs_intercommunalities",
    ),
    path(
        "indicateurs/intercommunalites/<str:siren>/",
        views.intercommunality_portrait,
        name="abs_intercommunality_portrait",
    ),
    path(
        "indicateurs/intercommunalites/<str:siren>/<str:code>/",
        views.intercommunality_indicator,
        name="abs_intercommunality_indicator",
    ),
    path("indicateurs/<str:code>/", views.indicator_detail, name="abs_indicator"),
]
