from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from essays.facets import essay_facets
        from essays.models import EssayPage
        from search import caches, signal_handlers
        from search.backends import postings

        signal_handlers.register()
        # SQLite's postings triggers (migration search 0003) call term_weights on every connection.
        postings.register_on_sqlite_connections()
        # The essay facets keep the essays anyone may read as an array by id: a search over them
        # checks its matches there rather than joining each match to its page.
        caches.remember_members(EssayPage.objects.readable_by_anyone, lambda: essay_facets().readable_by_anyone)
