"""Base de connaissances (public schema): themes, glossary, guides and experiences."""

from knowledge_base.models.pages import (
    ExperienceIndexPage,
    ExperiencePage,
    GuideAuthor,
    GuideIndexPage,
    GuidePage,
    KnowledgePage,
)
from knowledge_base.models.snippets import Audience, GlossaryTerm, Theme
from knowledge_base.models.workflow import ModerationTask

__all__ = [
    "Audience",
    "ExperienceIndexPage",
    "ExperiencePage",
    "GlossaryTerm",
    "GuideAuthor",
    "GuideIndexPage",
    "GuidePage",
    "KnowledgePage",
    "ModerationTask",
    "Theme",
]
