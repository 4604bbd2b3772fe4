import html

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import strip_tags
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET
from wagtail.admin.auth import permission_required
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.models import Page

from essays.models import EssayBookSource, EssayPage
from essays.privacy import listable_by
from finnish.collation import sort_key

from .formatting import Formatter
from .forms import ImportSourcesForm, InsertCitationForm
from .interchange import FORMATS, MEDIA_TYPES, export_sources, import_sources
from .models import Citation, Source
from .rich_text import NARRATIVE
from .templatetags.citation_tags import citation_style


def source_list(request):
    sources = Source.objects.select_related("book").prefetch_related("book__authors")
    return render(
        request, "citations/source_list.html", {"sources": sorted(sources, key=lambda source: sort_key(str(source)))}
    )


def citing_pages(source, user):
    """(page, [pages cited]) for every live page that cites the source and the user may read."""
    cited = {}
    for citation in Citation.objects.filter(source=source, page__live=True).order_by("position"):
        pages = cited.setdefault(citation.page_id, [])
        if citation.pages and citation.pages not in pages:
            pages.append(citation.pages)
    if source.book_id:
        for book_source in EssayBookSource.objects.filter(book_id=source.book_id, essay__live=True):
            pages = cited.setdefault(book_source.essay_id, [])
            if book_source.pages and book_source.pages not in pages:
                pages.append(book_source.pages)
    readable_essays = set(EssayPage.objects.filter(pk__in=cited).visible_to(user).values_list("pk", flat=True))
    result = []
    for page in listable_by(Page.objects.filter(pk__in=cited), user).specific().order_by("title"):
        if isinstance(page, EssayPage) and page.pk not in readable_essays:
            continue
        result.append((page, cited[page.pk]))
    return sorted(result, key=lambda item: sort_key(item[0].title))


def source_detail(request, pk):
    source = get_object_or_404(Source.objects.select_related("book").prefetch_related("book__authors"), pk=pk)
    formatter = Formatter(citation_style(request))
    formatter.add_to_bibliography(source)
    context = {
        "source": source,
        "reference": formatter.bibliography()[0],
        "citing": citing_pages(source, request.user),
    }
    return render(request, "citations/source.html", context)


@permission_required("wagtailadmin.access_admin")
def insert_citation(request):
    """The rich-text editor's modal: choose a source, give the pages."""
    if request.method == "POST":
        form = InsertCitationForm(request.POST)
        if form.is_valid():
            source = form.cleaned_data["source"]
            formatter = Formatter(citation_style(request))
            number = formatter.add([(source, form.cleaned_data["pages"])], form.cleaned_data["form"] == NARRATIVE)
            text = formatter.citation(number)
            result = {
                "id": source.pk,
                "pages": form.cleaned_data["pages"],
                "form": form.cleaned_data["form"],
                "text": html.unescape(strip_tags(text)),
            }
            return render_modal_workflow(request, None, None, None, json_data={"step": "chosen", "result": result})
    else:
        initial = {key: request.GET.get(key) for key in ("source", "pages", "form") if request.GET.get(key)}
        form = InsertCitationForm(initial=initial)
    return render_modal_workflow(
        request, "citations/admin/insert_citation.html", None, {"form": form}, json_data={"step": "choose"}
    )


@permission_required("citations.add_source")
def import_view(request):
    result = None
    if request.method == "POST":
        form = ImportSourcesForm(request.POST, request.FILES)
        if form.is_valid():
            result = import_sources(form.cleaned_data["text"], form.cleaned_data["file_format"])
            messages.success(
                request,
                ngettext("%(count)d source added.", "%(count)d sources added.", len(result.created))
                % {"count": len(result.created)},
            )
    else:
        form = ImportSourcesForm()
    return render(request, "citations/admin/import.html", {"form": form, "result": result, "formats": FORMATS})


@require_GET
@permission_required("citations.view_source")
def export_view(request, file_format):
    if file_format not in FORMATS:
        raise Http404
    sources = Source.objects.select_related("book").prefetch_related("book__authors").order_by("pk")
    response = HttpResponse(
        export_sources(sources, file_format), content_type=f"{MEDIA_TYPES[file_format]}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="lahteet{FORMATS[file_format]}"'
    return response
