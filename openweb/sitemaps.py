"""sitemap.xml: every page anyone may read, Wagtail's pages and the records' own pages."""

from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap

from citations.models import Source
from essays.models import Book, EssayPage, Person, Team

from .descriptions import root_url


class PublicPagesSitemap(Sitemap):
    """Wagtail's sitemap of live pages under no view restriction, less the essays that are not public."""

    def items(self):
        hidden_essays = EssayPage.objects.exclude(visibility=EssayPage.Visibility.PUBLIC).values("pk")
        return super().items().exclude(pk__in=hidden_essays)


class RecordPagesSitemap(Sitemap):
    """The lists of books, teams and sources, and the page of each book, person, team and source."""

    def items(self):
        lists = [reverse("essays:book_list"), reverse("essays:team_list"), reverse("citations:source_list")]
        records = [Book.objects.only("slug"), Person.objects.only("slug"), Team.objects.only("slug")]
        sources = [reverse("citations:source", args=[pk]) for pk in Source.objects.values_list("pk", flat=True)]
        return lists + [obj.get_absolute_url() for queryset in records for obj in queryset] + sources

    def _urls(self, page, protocol, domain):
        root = root_url(self.request)
        return [{"item": path, "location": root + path} for path in self.paginator.page(page).object_list]


SITEMAPS = {"sivut": PublicPagesSitemap, "tietueet": RecordPagesSitemap}
