"""Member-host pages of the knowledge base (propose an experience, follow its moderation)."""

from django.urls import path

from knowledge_base import views

urlpatterns = [
    path("", views.member_experiences, name="kb_member_experiences"),
    path("proposer/", views.propose, name="kb_propose_experience"),
    path("<int:page_id>/modifier/", views.revise, name="kb_revise_experience"),
]
