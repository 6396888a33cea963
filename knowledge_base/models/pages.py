"""Pages of the knowledge base: practice guides and members' experiences, in Index/Detail pairs
on one abstract base page (convention 2)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.search import index

from knowledge_base.blocks import GUIDE_BODY_BLOCKS
from knowledge_base.blocks.text import heading_anchors, rich_text_headings
from knowledge_base.models.snippets import Audience, ChoiceArrayField
from knowledge_base.validators import validate_phone
from union.formats import french_list
from union.page_paths import FreeAddressPageForm
from union.panels import NamedAddInlinePanel


def _inside_sentence(label: str) -> str:
    """« Directeurs et directrices » → « directeurs et directrices »; « CCAS » stays."""
    first = label.split(" ", 1)[0]
    return label if len(first) > 1 and first.isupper() else label[:1].lower() + label[1:]


class KnowledgePage(Page):
    """What guides and experiences share: a summary, themes and audiences, and how they are found."""

    summary = models.TextField(
        "résumé",
        max_length=600,
        help_text="Deux ou trois phrases : elles apparaissent dans les listes, la recherche et les flux.",
    )
    themes = ParentalManyToManyField(
        "knowledge_base.Theme", blank=True, related_name="%(class)s_pages", verbose_name="thèmes"
    )
    audiences = ChoiceArrayField(
        models.CharField(max_length=20, choices=Audience.choices),
        verbose_name="publics",
        default=list,
        blank=True,
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.FilterField("audiences"),
    ]
    classification_panels = [
        FieldPanel("summary"),
        FieldPanel(
            "themes",
            widget=forms.CheckboxSelectMultiple,
            help_text="Au moins un thème pour publier : les listes et le flux se filtrent par "
            "thème, et la page apparaît sous chacun de ceux cochés.",
        ),
        FieldPanel(
            "audiences",
            help_text="À qui la page sert surtout : le filtre « Public » des listes et l'API "
            "s'en servent. Aucun coché : utile à tous.",
        ),
    ]

    class Meta:
        abstract = True

    @property
    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [labels[code] for code in self.audiences if code in labels]

    @property
    def audience_sentence(self) -> str:
        """« agents et élus »: the audiences inside a sentence (« Utile surtout aux … »), each
        lower-cased but an acronym (« CCAS »), « et » before the last, unless a label says
        « et » itself: « agents, directeurs et directrices », not « agents et directeurs et … »."""
        labels = [_inside_sentence(label) for label in self.audience_labels]
        if not labels or any(" et " in label for label in labels):
            return ", ".join(labels)
        return french_list(labels)

    @property
    def page_type_label(self) -> str:
        return self._meta.verbose_name

    @cached_property
    def members_only(self) -> bool:
        """Readable only once logged in (« Personnes connectées » or « Groupes », on the page or
        an ancestor): cards and the page say so. Set in bulk by listing.prefetch_cards."""
        return (
            self.get_view_restrictions()
            .filter(restriction_type__in=[PageViewRestriction.LOGIN, PageViewRestriction.GROUPS])
            .exists()
        )

    def search_text(self) -> str:
        """Plain text the search result snippet is cut from."""
        return self.summary

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A Wagtail URL is the parent's URL plus "<slug>/": no query for the parent page.
        url = self.get_url(request) or ""
        context["index_url"] = url[: -len(self.slug) - 1] if url.endswith(f"{self.slug}/") else "/"
        return context


class IndexPage(Page):
    """A listing of its children with filters in the URL (shared by both index pages)."""

    intro = RichTextField("introduction", blank=True, features=["bold", "italic", "link"])
    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["union.HomePage"]
    max_count = 1
    base_form_class = FreeAddressPageForm  # not « /sante/ » nor « /contact/ »: union.page_paths
    listing_kind = ""  # "guides" or "experiences": which filters make sense

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        from knowledge_base.listing import listing_context

        context = super().get_context(request, *args, **kwargs)
        context.update(listing_context(self, request))
        return context


class GuideIndexPage(IndexPage):
    """/guides/: every practice guide, filterable by theme, audience, text."""

    subpage_types = ["knowledge_base.GuidePage"]
    listing_kind = "guides"
    template = "knowledge_base/index_page.html"

    class Meta:
        verbose_name = "index des guides"
        verbose_name_plural = "index des guides"

    def child_model(self):
        return GuidePage


class GuideAuthor(Orderable):
    page = ParentalKey("knowledge_base.GuidePage", related_name="authors", on_delete=models.CASCADE)
    name = models.CharField("nom", max_length=150)
    role = models.CharField("fonction ou organisme", max_length=200, blank=True)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("role")])]

    class Meta(Orderable.Meta):
        verbose_name = "auteur ou autrice"
        verbose_name_plural = "auteurs ou autrices"

    def __str__(self) -> str:
        return self.name


def table_text(value) -> str:
    """« Titre : a · b ; c · d. » for a table block's value."""
    if not value:
        return ""
    rows = [
        " · ".join(str(cell).strip() for cell in row if str(cell or "").strip())
        for row in value.get("data") or []
    ]
    text = " ; ".join(row for row in rows if row)
    caption = str(value.get("table_caption") or "").strip()
    if caption and text:
        return f"{caption} : {text}."
    return caption or (f"{text}." if text else "")


# Blocks whose title is a heading of the page: anchored, and in the table of contents at h2.
HEADING_BLOCKS = ("heading", "faq")


def heading_text(block) -> str:
    """The text of a heading block, or the title of a FAQ block."""
    if block.block_type == "faq":
        return str(block.value.get("title") or "")
    return block.value["text"]


class GuidePageForm(WagtailAdminPageForm):
    """A guide is published with at least one theme (a draft may wait): its theme is how the
    listings, the feeds and the API find it."""

    def clean(self):
        cleaned_data = super().clean()
        if not self.is_deferred_validation and not cleaned_data.get("themes"):
            self.add_error(
                "themes",
                "Cochez au moins un thème avant de publier : c'est par ses thèmes qu'on trouve "
                "le guide dans les listes et les flux.",
            )
        return cleaned_data


class GuidePage(KnowledgePage):
    """A practice guide written by the union's staff for CCAS teams and elected officials."""

    last_reviewed = models.DateField(
        "dernière relecture",
        null=True,
        blank=True,
        help_text="Date à laquelle le contenu a été vérifié (droit, chiffres, contacts). "
        "Un rapport signale les guides non relus depuis plus de 12 mois.",
    )
    body = StreamField(GUIDE_BODY_BLOCKS, verbose_name="contenu", use_json_field=True)

    parent_page_types = ["knowledge_base.GuideIndexPage"]
    subpage_types: list[str] = []
    template = "knowledge_base/guide_page.html"
    base_form_class = GuidePageForm

    search_fields = KnowledgePage.search_fields + [
        index.SearchField("body"),
        index.RelatedFields("authors", [index.SearchField("name")]),
        index.FilterField("last_reviewed"),
    ]
    content_panels = Page.content_panels + [
        HelpPanel(
            content="<p>Un guide s'adresse à des équipes de CCAS et à des élus : phrases courtes, "
            "références juridiques avec leur lien Légifrance, sigles écrits en toutes lettres "
            "dans le glossaire.</p>"
        ),
        MultiFieldPanel(KnowledgePage.classification_panels, heading="Classement"),
        MultiFieldPanel(
            [
                NamedAddInlinePanel(
                    "authors",
                    label="auteur ou autrice",
                    heading="Auteur ou autrice",
                    add_label="Ajouter un auteur ou une autrice",
                ),
                FieldPanel("last_reviewed"),
            ],
            heading="Auteurs et relecture",
        ),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = "guide pratique"
        verbose_name_plural = "guides pratiques"

    def clean(self):
        super().clean()
        if self.last_reviewed and self.last_reviewed > timezone.localdate():
            raise ValidationError(
                {"last_reviewed": "La date de relecture ne peut pas être dans le futur."}
            )

    def search_text(self) -> str:
        """The text search extracts are cut from: a table's cells are separated (« · » between
        cells, « ; » between rows), never run together into one sentence. A legal reference is
        read as the page shows it, without the words its index entry adds (« article L111-2 »)."""
        parts = [self.summary]
        for block in self.body:
            if block.block_type == "table":
                parts.append(table_text(block.value))
                continue
            if block.block_type == "legal_reference":
                parts.append(block.block.display_text(block.value))
                continue
            parts.extend(str(text) for text in block.block.get_searchable_content(block.value))
        return " ".join(part for part in parts if part)

    @cached_property
    def body_blocks(self) -> list[tuple]:
        """(block, anchor, anchors) for each block of the body: `anchor` is a heading block's id
        ("" for other blocks), `anchors` the ids of the h2, h3 and h4 typed inside a rich-text
        block (() for other blocks); no two headings of the page share one.

        The heading blocks are given theirs first, as before rich-text headings had ids, and the
        rich-text headings then take what is left: a link to a guide's section, already shared,
        keeps leading to the same heading when a rich-text heading of the same name comes
        before it."""
        blocks = list(self.body)
        # A FAQ block's title is a level-2 heading too (« Questions fréquentes »).
        headings = [i for i, block in enumerate(blocks) if block.block_type in HEADING_BLOCKS]
        texts = [heading_text(blocks[i]) for i in headings]
        anchors = dict(zip(headings, heading_anchors(texts), strict=True))
        in_rich_text = [
            (i, text)
            for i, block in enumerate(blocks)
            if block.block_type == "rich_text"
            for _level, text in rich_text_headings(block.value.source)
        ]
        rich_anchors: dict[int, list[str]] = {}
        for (i, _text), anchor in zip(
            in_rich_text,
            heading_anchors(
                [text for _, text in in_rich_text],
                taken=anchors.values(),
                first_rank=len(headings) + 1,
            ),
            strict=True,
        ):
            rich_anchors.setdefault(i, []).append(anchor)
        return [
            (block, anchors.get(i, ""), tuple(rich_anchors.get(i, ())))
            for i, block in enumerate(blocks)
        ]

    @cached_property
    def toc(self) -> list[dict]:
        """Level-2 headings of the body, in page order: the guide's table of contents.

        It stays a list of sections, as the editors were told (« les titres de niveau 2 forment
        le sommaire du guide »): a level-2 heading counts whether it is a heading block or typed
        in a rich text (the editor offers only h3 and h4 there, but older or imported texts may
        hold an h2). Sub-sections (h3, h4), from either, are not listed: they get ids so that
        they can be linked to, as heading blocks of level 3 always have."""
        entries = []
        for block, anchor, anchors in self.body_blocks:
            if block.block_type == "faq" or (
                block.block_type == "heading" and block.value["level"] == "h2"
            ):
                entries.append({"text": heading_text(block), "anchor": anchor})
            elif block.block_type == "rich_text":
                for (level, text), rich_anchor in zip(
                    rich_text_headings(block.value.source), anchors, strict=True
                ):
                    if level == "h2":
                        entries.append({"text": text, "anchor": rich_anchor})
        return entries


class ExperienceIndexPage(IndexPage):
    """/experiences/: the bank of members' experiences, filterable by commune and département too."""

    subpage_types = ["knowledge_base.ExperiencePage"]
    listing_kind = "experiences"
    template = "knowledge_base/index_page.html"

    class Meta:
        verbose_name = "index des expériences"
        verbose_name_plural = "index des expériences"

    def child_model(self):
        return ExperiencePage


class ExperiencePage(KnowledgePage):
    """A "fiche d'expérience": what a member CCAS did, with whom, for how much, with what results.

    Members propose them from their space (services.propose_experience); they reach the admin as
    drafts in the "Modération de l'union" workflow.
    """

    member = models.ForeignKey(
        "tenants.MemberCCAS",
        on_delete=models.PROTECT,
        related_name="experiences",
        verbose_name="CCAS ou CIAS membre",
    )
    start_date = models.DateField("date de démarrage", null=True, blank=True)
    context = models.TextField("contexte", help_text="Le constat de départ, le territoire.")
    description = models.TextField("l'action", help_text="Ce qui a été fait, concrètement.")
    objectives = models.TextField("objectifs", blank=True)
    publics = models.TextField("publics concernés", blank=True)
    partners = models.TextField("partenaires", blank=True)
    budget = models.TextField("budget et financements", blank=True)
    results = models.TextField("résultats et évaluation", blank=True)
    contact_name = models.CharField("contact : nom", max_length=150, blank=True)
    contact_role = models.CharField("contact : fonction", max_length=150, blank=True)
    contact_email = models.EmailField("contact : courriel", blank=True)
    contact_phone = models.CharField(
        "contact : téléphone", max_length=30, blank=True, validators=[validate_phone]
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="proposée par",
        editable=False,
    )

    parent_page_types = ["knowledge_base.ExperienceIndexPage"]
    subpage_types: list[str] = []
    template = "knowledge_base/experience_page.html"

    # Read in this order on the page and in the member's form.
    NARRATIVE_FIELDS = (
        "context",
        "description",
        "objectives",
        "publics",
        "partners",
        "budget",
        "results",
    )
    search_fields = KnowledgePage.search_fields + [
        *(index.SearchField(name) for name in NARRATIVE_FIELDS),
        index.RelatedFields("member", [index.SearchField("name")]),
        index.FilterField("member"),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("member"),
        MultiFieldPanel(KnowledgePage.classification_panels, heading="Classement"),
        FieldPanel("start_date"),
        *(FieldPanel(name) for name in NARRATIVE_FIELDS),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_role")]),
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
            ],
            heading="Contact",
        ),
    ]

    class Meta:
        verbose_name = "fiche d'expérience"
        verbose_name_plural = "fiches d'expérience"

    def search_text(self) -> str:
        return " ".join([self.summary] + [getattr(self, name) for name in self.NARRATIVE_FIELDS])

    @property
    def served_intercommunality(self):
        """The intercommunality (EPCI or EPT) a CIAS acts in; None for a CCAS, whose place is
        its commune. A CIAS's commune is only its seat."""
        member = self.member
        return member.intercommunality if member.kind == "CIAS" else None

    @cached_property
    def commune_portrait_url(self) -> str:
        """The ABS portrait of the member's commune on the portal, when its CCAS published
        indicators there; "" otherwise (a portrait without values is no place to send a
        reader). One query. A CIAS's values are its intercommunality's, not its seat's
        (intercommunality_portrait_url)."""
        from abs_shared.models import PublishedValue

        code = self.member.commune_id
        published = PublishedValue.objects.of_communes().filter(commune_id=code).exists()
        return f"/indicateurs/communes/{code}/" if published else ""

    @cached_property
    def intercommunality_portrait_url(self) -> str:
        """The ABS portrait of a CIAS's intercommunality, when the CIAS published; "" otherwise
        and for a CCAS (no query then)."""
        from abs_shared.models import PublishedValue

        siren = self.member.intercommunality_id if self.member.kind == "CIAS" else None
        if siren is None:
            return ""
        pooled = PublishedValue.objects.of_intercommunalities()
        published = pooled.filter(member__intercommunality_id=siren).exists()
        return f"/indicateurs/intercommunalites/{siren}/" if published else ""

    @cached_property
    def served_communes(self) -> list:
        """The communes of a CIAS's intercommunality, by name (through the relations, so that a
        listing prefetches them: listing.prefetch_cards); [] for a CCAS."""
        grouping = self.served_intercommunality
        if grouping is None:
            return []
        # An EPT's communes point to it as their `ept`, other groupings' as their `epci`.
        communes = {c.code: c for c in [*grouping.communes.all(), *grouping.ept_communes.all()]}
        # match_key: the name without case nor accents, so that « Épinay » sorts among the E.
        return sorted(communes.values(), key=lambda commune: (commune.match_key, commune.code))

    @property
    def narrative(self) -> list[tuple[str, str]]:
        """(label, text) of the filled narrative fields, in reading order."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.NARRATIVE_FIELDS
            if getattr(self, name)
        ]
