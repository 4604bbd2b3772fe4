from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from essays.blocks import BodyBlock
from essays.models import Book, EssayPage
from essays.privacy import hidden_paths, listable_by
from finnish.collation import sort_key
from finnish.indexing import analysed_text


class ConceptIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["essaybank.HomePage"]
    subpage_types = ["concepts.ConceptPage"]

    class Meta:
        verbose_name = _("concept index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        concepts = listable_by(ConceptPage.objects.live(), request.user).descendant_of(self).specific()
        context["concepts"] = sorted(concepts, key=lambda concept: sort_key(concept.title))
        ConceptRelation.attach_groups(context["concepts"])
        return context


class ConceptPage(Page):
    """A concept the books teach. The page title is its Finnish term."""

    english_term = models.CharField(_("English term"), max_length=150, blank=True)
    synonyms = models.TextField(_("synonyms"), blank=True, help_text=_("One synonym per line."))
    definition = models.TextField(_("definition"), blank=True)
    definition_book = models.ForeignKey(
        Book,
        verbose_name=_("source of the definition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="defined_concepts",
    )
    definition_page = models.CharField(_("page"), max_length=30, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("english_term"), FieldPanel("synonyms")]),
        MultiFieldPanel(
            [FieldPanel("definition"), FieldRowPanel([FieldPanel("definition_book"), FieldPanel("definition_page")])],
            heading=_("Definition"),
        ),
        FieldPanel("body"),
        InlinePanel("relations", label=_("link"), heading=_("Broader, narrower and related concepts")),
    ]
    search_fields = [
        *Page.search_fields,
        index.AutocompleteField("title"),
        index.SearchField("english_term", boost=2),
        index.SearchField("synonyms", boost=2),
        index.SearchField("definition"),
        index.SearchField("body"),
        index.SearchField("search_text"),
    ]
    parent_page_types = ["concepts.ConceptIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")

    def search_text(self):
        return analysed_text(self.title, self.english_term, self.synonyms, self.definition, self.body)

    def synonym_list(self):
        return [line.strip() for line in self.synonyms.splitlines() if line.strip()]

    def tag_names(self):
        names = [self.title, self.english_term, *self.synonym_list()]
        return {name.casefold() for name in names if name}

    def linked_concepts(self, hidden=()):
        """(heading, concepts) for each kind of link, whichever page the link was made on; none
        under the restricted sections with the paths `hidden` (essays.privacy.hidden_paths)."""

        def listed(concept):
            return concept.live and not concept.path.startswith(hidden)

        grouped = {kind: set() for kind in ConceptRelation.Kind}
        for relation in self.relations.select_related("target"):
            if listed(relation.target):
                grouped[relation.kind].add(relation.target)
        for relation in ConceptRelation.objects.filter(target=self).select_related("concept"):
            if listed(relation.concept):
                grouped[ConceptRelation.Kind.inverse(relation.kind)].add(relation.concept)
        return [
            (ConceptRelation.Kind.headings()[kind], sorted(concepts, key=lambda concept: sort_key(concept.title)))
            for kind, concepts in grouped.items()
            if concepts
        ]

    def essays(self, user):
        """The essays that discuss this concept, most substantial first."""
        return (
            EssayPage.objects.live()
            .visible_to(user)
            .filter(concept_links__concept=self, concept_links__linked=True)
            .annotate(
                substance=models.Subquery(
                    EssayConceptLink.objects.filter(essay=models.OuterRef("pk"), concept=self).values("mentions")[:1]
                )
            )
            .order_by("-substance", "-written", "-pk")
            .for_listing()
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["linked_concepts"] = self.linked_concepts(hidden_paths(request.user))
        context["linked_concept_pages"] = [
            concept for _heading, group in context["linked_concepts"] for concept in group
        ]
        context["essays"] = self.essays(request.user)
        return context


class ConceptRelation(Orderable):
    class Kind(models.TextChoices):
        BROADER = "broader", _("broader concept")
        NARROWER = "narrower", _("narrower concept")
        RELATED = "related", _("related concept")

        @classmethod
        def headings(cls):
            return {
                cls.BROADER: _("Broader concepts"),
                cls.NARROWER: _("Narrower concepts"),
                cls.RELATED: _("Related concepts"),
            }

        @classmethod
        def inverse(cls, kind):
            return {cls.BROADER: cls.NARROWER, cls.NARROWER: cls.BROADER}.get(kind, cls.RELATED)

    @classmethod
    def attach_groups(cls, concepts):
        """Give each concept `relation_groups`, its linked_concepts() among these concepts, in one query:
        the concept list beside the map tells a screen reader what the map's lines show."""
        by_id = {concept.pk: concept for concept in concepts}
        grouped = {pk: {kind: set() for kind in cls.Kind} for pk in by_id}
        for source, kind, target in cls.objects.filter(concept_id__in=by_id, target_id__in=by_id).values_list(
            "concept_id", "kind", "target_id"
        ):
            grouped[source][kind].add(by_id[target])
            grouped[target][cls.Kind.inverse(kind)].add(by_id[source])
        headings = cls.Kind.headings()
        for pk, kinds in grouped.items():
            by_id[pk].relation_groups = [
                (headings[kind], sorted(linked, key=lambda concept: sort_key(concept.title)))
                for kind, linked in kinds.items()
                if linked
            ]

    concept = ParentalKey(ConceptPage, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.RELATED)
    target = models.ForeignKey(
        ConceptPage, verbose_name=_("concept"), on_delete=models.CASCADE, related_name="incoming_relations"
    )

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("target")])]

    class Meta(Orderable.Meta):
        verbose_name = _("concept link")
        verbose_name_plural = _("concept links")


class EssayConceptLink(models.Model):
    """An essay discusses a concept. Found automatically when either is published; an editor's
    decision (origin "manual") is kept however the texts change later."""

    class Origin(models.TextChoices):
        AUTO = "auto", _("found automatically")
        MANUAL = "manual", _("decided by an editor")

    essay = models.ForeignKey(
        EssayPage, verbose_name=_("essay"), on_delete=models.CASCADE, related_name="concept_links"
    )
    concept = models.ForeignKey(
        ConceptPage, verbose_name=_("concept"), on_delete=models.CASCADE, related_name="essay_links"
    )
    linked = models.BooleanField(
        _("linked"), default=True, help_text=_("Unticked, the essay is never linked to the concept.")
    )
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    mentions = models.PositiveIntegerField(_("weight of the mentions"), default=0, editable=False)
    first_mention = models.CharField(_("first mention"), max_length=150, blank=True, editable=False)

    panels = [FieldPanel("essay"), FieldPanel("concept"), FieldPanel("linked")]

    class Meta:
        verbose_name = _("concept link of an essay")
        verbose_name_plural = _("concept links of essays")
        constraints = [models.UniqueConstraint(fields=["essay", "concept"], name="unique_essay_concept_link")]

    def __str__(self):
        return f"{self.essay} → {self.concept}"


@register_setting(icon="link")
class ConceptSettings(BaseSiteSetting):
    link_first_mentions = models.BooleanField(
        _("link the first mention of each concept"),
        default=False,
        help_text=_("The first mention of a concept in an essay's text links to the concept's page."),
    )

    panels = [FieldPanel("link_first_mentions")]

    class Meta:
        verbose_name = _("concept settings")
