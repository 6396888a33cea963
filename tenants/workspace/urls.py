from django.urls import path, re_path

from tenants.workspace import views

urlpatterns = [
    path("", views.home, name="member_home"),
    path("premiers-pas/masquer/", views.first_steps_hide, name="member_first_steps_hide"),
    path("donnees/", views.data_page, name="member_data"),
    path("donnees/archive.zip", views.data_archive, name="member_data_archive"),
    path("profil/", views.profile, name="member_profile"),
    path("profil/modifier/", views.profile_edit, name="member_profile_edit"),
    path("conseil/", views.board, name="member_board"),
    path("conseil/renouveler/", views.board_renew, name="member_board_renew"),
    re_path(r"^conseil/export\.(?P<fmt>csv|xlsx)$", views.board_export, name="member_board_export"),
    re_path(
        r"^conseil/mandats/(?P<pk>[0-9]{1,18})/export\.(?P<fmt>csv|xlsx)$",
        views.board_export,
        name="member_mandate_export",
    ),
    path("conseil/mandats/ajouter/", views.mandate_add, name="member_mandate_add"),
    path("conseil/mandats/<int:pk>/", views.board_mandate, name="member_mandate"),
    path("conseil/mandats/<int:pk>/modifier/", views.mandate_edit, name="member_mandate_edit"),
    path("conseil/mandats/<int:pk>/supprimer/", views.mandate_delete, name="member_mandate_delete"),
    path(
        "conseil/mandats/<int:mandate_pk>/ajouter/",
        views.board_member_edit,
        name="member_board_member_add",
    ),
    path("conseil/membres/<int:pk>/", views.board_member_edit, name="member_board_member"),
    path(
        "conseil/membres/<int:pk>/supprimer/",
        views.board_member_delete,
        name="member_board_member_delete",
    ),
    path("conseil/seances/", views.meetings_list, name="member_meetings"),
    path("conseil/seances/ajouter/", views.meeting_edit, name="member_meeting_add"),
    path("conseil/seances/<int:pk>/", views.meeting_detail, name="member_meeting"),
    path("conseil/seances/<int:pk>/modifier/", views.meeting_edit, name="member_meeting_edit"),
    path("conseil/seances/<int:pk>/supprimer/", views.meeting_delete, name="member_meeting_delete"),
    path(
        "conseil/seances/<int:pk>/convoquer/", views.meeting_convene, name="member_meeting_convene"
    ),
    path(
        "conseil/seances/<int:pk>/convocation-papier/",
        views.meeting_paper_convocation,
        name="member_meeting_paper_convocation",
    ),
    path(
        "conseil/seances/<int:pk>/feuille-de-presence.pdf",
        views.meeting_sheet,
        name="member_meeting_sheet",
    ),
    path(
        "conseil/seances/<int:pk>/convocations.pdf",
        views.meeting_convocations,
        name="member_meeting_convocations",
    ),
    path("activite/", views.activity_report, name="member_activity"),
    path("activite/saisir/", views.activity_figure_edit, name="member_activity_add"),
    path("activite/<int:pk>/", views.activity_figure_edit, name="member_activity_figure"),
    path(
        "activite/<int:pk>/supprimer/",
        views.activity_figure_delete,
        name="member_activity_figure_delete",
    ),
    path("activite/importer/", views.activity_import, name="member_activity_import"),
    path("activite/modele.csv", views.activity_template, name="member_activity_template"),
    re_path(
        r"^activite/export\.(?P<fmt>csv|xlsx|pdf)$",
        views.activity_export,
        name="member_activity_export",
    ),
    path("activite/domiciliation/", views.domiciliation, name="member_domiciliation"),
    path("equipe/", views.team, name="member_team"),
    path("equipe/<int:pk>/role/", views.team_role, name="member_team_role"),
    path("equipe/<int:pk>/retirer/", views.team_remove, name="member_team_remove"),
    path("equipe/<int:pk>/renvoyer/", views.team_resend, name="member_team_resend"),
    path("documents/", views.documents, name="member_documents"),
    path("documents/<int:pk>/", views.download_document, name="member_document"),
    path("documents/<int:pk>/modifier/", views.document_edit, name="member_document_edit"),
    path("documents/<int:pk>/remplacer/", views.document_replace, name="member_document_replace"),
    path("documents/<int:pk>/supprimer/", views.document_delete, name="member_document_delete"),
]
