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

__all__ = [
    "Audience",
    "ExperienceIndexPage",
    "ExperiencePage",
    "GlossaryTerm",
    "GuideAuthor",
    "GuideIndexPage",
    "GuidePage",
    "KnowledgePage",
    "Theme",
]
