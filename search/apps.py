from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from essays.facets import essay_facets
        from essays.models import EssayPage
        from search import db_backend, postings, signal_handlers

        signal_handlers.register()
        postings.register_on_sqlite_connections()
        db_backend.remember_members(EssayPage.objects.readable_by_anyone, lambda: essay_facets().readable_by_anyone)
