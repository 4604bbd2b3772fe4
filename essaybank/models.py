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
