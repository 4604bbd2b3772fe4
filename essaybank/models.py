from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from community.month import latest_winner
from concepts.models import ConceptIndexPage, ConceptPage
from essays.models import Book, BookSummaryIndexPage, EssayIndexPage, EssayPage
from essays.privacy import listable_by
from finnish.collation import sort_key

NEWEST_ESSAYS_ON_HOME = 6


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["essays.EssayIndexPage", "essays.BookSummaryIndexPage", "concepts.ConceptIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            essay_index=EssayIndexPage.objects.live().child_of(self).first(),
            concept_index=ConceptIndexPage.objects.live().child_of(self).first(),
            summary_index=BookSummaryIndexPage.objects.live().child_of(self).first(),
            essay_of_month=latest_winner(request.user),
            newest_essays=EssayPage.objects.live()
            .visible_to(request.user)
            .order_by("-written", "-pk")
            .for_listing()[:NEWEST_ESSAYS_ON_HOME],
            books=sorted(Book.objects.prefetch_related("authors"), key=lambda book: sort_key(book.title)),
            concepts=sorted(
                listable_by(ConceptPage.objects.live(), request.user).only("title", "url_path"),
                key=lambda c: sort_key(c.title),
            ),
        )
        return context


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    programme_name = models.CharField(_("programme name"), max_length=200, blank=True)

    panels = [FieldPanel("tagline"), FieldPanel("programme_name")]

    class Meta:
        verbose_name = _("site settings")


class WordPressPost(models.Model):
    """A post of a WordPress export as it was imported, with what an editor should look at
    (unreadable text, a book that could be several, a missing image), in Finnish."""

    site = models.CharField(_("site"), max_length=200)
    post_id = models.PositiveBigIntegerField(_("post id"))
    title = models.CharField(_("title in WordPress"), max_length=300, blank=True)
    status = models.CharField(_("status in WordPress"), max_length=20, blank=True)
    page = models.ForeignKey(
        Page, verbose_name=_("page"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # The kinds of problem an editor filters by; the messages in `problems` say what exactly.
    unreadable = models.BooleanField(_("text unreadable, kept as it was"), default=False)
    book_ambiguous = models.BooleanField(_("book could be several"), default=False)
    image_missing = models.BooleanField(_("image missing"), default=False)
    handled = models.BooleanField(
        _("handled"), default=False, help_text=_("An editor has looked at the post and fixed what needed fixing.")
    )
    imported = models.DateTimeField(_("imported"), auto_now=True)

    class Kind(models.TextChoices):
        UNREADABLE = "unreadable", _("unreadable text")
        BOOK_AMBIGUOUS = "book_ambiguous", _("ambiguous book")
        IMAGE_MISSING = "image_missing", _("missing image")
        OTHER = "other", _("other")

    class Meta:
        verbose_name = _("imported WordPress post")
        verbose_name_plural = _("imported WordPress posts")
        ordering = ["site", "post_id"]
        constraints = [models.UniqueConstraint(fields=["site", "post_id"], name="unique_wordpress_post")]

    def __str__(self):
        return f"{self.post_id}: {self.title}"


class UnindexedRecord(models.Model):
    """A record an import has committed whose search index entry is written after the commit, on
    another connection (essaybank.index_thread): the mark is deleted with that write, and the next
    import indexes what an interrupted one left marked."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=255)

    def __str__(self):
        return f"{self.content_type_id}: {self.object_id}"
