from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from essays.facets import essay_facets
        from essays.models import EssayPage
        from search import caches, signal_handlers
        from search.backends import postings, prefixes
        from search.backends.sqlite.functions import on_every_sqlite_connection

        signal_handlers.register()
        # SQLite's postings triggers (migration search 0003) call term_weights on every connection.
        on_every_sqlite_connection(postings.register_sqlite_function, "search-term-weights")
        # And the title-prefix triggers (migration search 0005) call sqlite_rows.
        on_every_sqlite_connection(prefixes.register_sqlite_function, "search-title-prefixes")

        # The essay facets keep the essays anyone may read as an array by id: a search over them
        # checks its matches there rather than joining each match to its page.
        # The array is read under the view restrictions of its time, and its query built under them.
        def readable_by_anyone():
            facets = essay_facets()
            return facets.readable_by_anyone, facets.hidden

        caches.remember_members(EssayPage, EssayPage.objects.readable_by_anyone, readable_by_anyone)
