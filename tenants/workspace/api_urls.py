from django.urls import path

from tenants.workspace import api

urlpatterns = [
    path("documents/", api.DocumentList.as_view(), name="api-documents"),
    path("profile/", api.ProfileView.as_view(), name="api-profile"),
    path("board/members/", api.BoardMemberList.as_view(), name="api-board-members"),
    path("board/meetings/", api.BoardMeetingList.as_view(), name="api-board-meetings"),
    path("board/compliance/", api.BoardComplianceView.as_view(), name="api-board-compliance"),
    path("activity/", api.ActivityReportView.as_view(), name="api-activity"),
    path("activity/import", api.ActivityImportView.as_view(), name="api-activity-import"),
]
