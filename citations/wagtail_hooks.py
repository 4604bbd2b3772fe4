from django.core.exceptions import PermissionDenied
from django.urls import include, path, reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.rich_text.editors.draftail.features import EntityFeature
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from essays.exports import SafeSpreadsheetExportMixin
from essays.privacy import sees_everything

from . import admin_urls
from .extraction import page_chunks, plain_text
from .models import Citation, Source
from .recognition import find_broken_citations
from .rich_text import ENTITY_TYPE, FEATURE, CitationElementHandler, CitationLinkHandler, citation_entity


@hooks.register("register_rich_text_features")
def register_citation_feature(features):
    features.register_link_type(CitationLinkHandler)
    features.register_editor_plugin(
        "draftail",
        FEATURE,
        EntityFeature(
            {
                "type": ENTITY_TYPE,
                "icon": "openquote",
                "description": _("Citation"),
                "chooserUrl": reverse_lazy("citations_admin:insert"),
            },
            js=["wagtailadmin/js/modal-workflow.js", "citations/js/citation-entity.js"],
        ),
    )
    features.register_converter_rule(
        "contentstate",
        FEATURE,
        {
            "from_database_format": {'a[linktype="citation"]': CitationElementHandler(ENTITY_TYPE)},
            "to_database_format": {"entity_decorators": {ENTITY_TYPE: citation_entity}},
        },
    )


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("citations/", include(admin_urls, namespace="citations_admin"))]


class SourceIndexView(IndexView):
    @property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(_("Import"), url=reverse("citations_admin:import"), icon_name="upload"),
            *(
                HeaderButton(
                    _("Export as %(format)s") % {"format": label},
                    url=reverse("citations_admin:export", args=[name]),
                    icon_name="download",
                )
                for name, label in (("bibtex", "BibTeX"), ("ris", "RIS"), ("csl-json", "CSL-JSON"))
            ),
        ]


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "openquote"
    menu_label = _("Sources")
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = SourceIndexView
    list_display = ["__str__", "kind", "book"]
    list_filter = ["kind", "year"]
    search_fields = ["title", "authors", "book__title"]


register_snippet(SourceViewSet)


class UnmatchedCitationsReport(SafeSpreadsheetExportMixin, ReportView):
    """Hand-typed citations that no source matched, for editors to fix."""

    page_title = _("Unmatched citations")
    header_icon = "openquote"
    index_url_name = "citations_unmatched"
    index_results_url_name = "citations_unmatched_results"
    list_export = ["page", "text", "pages"]
    columns = [
        TitleColumn(
            "page",
            label=_("Page"),
            get_url=lambda citation: reverse("wagtailadmin_pages:edit", args=[citation.page_id]),
        ),
        Column("text", label=_("Citation as written")),
        Column("pages", label=_("Pages")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not sees_everything(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return (
            Citation.objects.filter(source__isnull=True, page__live=True)
            .select_related("page")
            .order_by("page__title", "position")
        )


# The report names essays students may not read; editors, who see every essay, fix them.
class EditorsMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_everything(request.user)


@hooks.register("register_reports_menu_item")
def register_unmatched_report_menu_item():
    return EditorsMenuItem(_("Unmatched citations"), reverse("citations_unmatched"), icon_name="openquote", order=700)


@hooks.register("register_admin_urls")
def register_unmatched_report_url():
    return [
        path("reports/unmatched-citations/", UnmatchedCitationsReport.as_view(), name="citations_unmatched"),
        path(
            "reports/unmatched-citations/results/",
            UnmatchedCitationsReport.as_view(results_only=True),
            name="citations_unmatched_results",
        ),
    ]


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_of_broken_citations(request, page):
    """Text typed into a citation leaves a parenthesis no source matches: the writer hears of it on
    saving, before the page is published with it."""
    broken = [
        citation.text for chunk in page_chunks(page.specific) for citation in find_broken_citations(plain_text(chunk))
    ]
    if broken:
        messages.warning(
            request,
            ngettext(
                "This citation does not read as a citation, so no source matches it: %(citations)s. "
                "Remove it and insert it again with the Citation button.",
                "These citations do not read as citations, so no source matches them: %(citations)s. "
                "Remove them and insert them again with the Citation button.",
                len(broken),
            )
            % {"citations": "; ".join(broken)},
        )
