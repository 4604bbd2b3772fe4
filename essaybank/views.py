"""The admin's views of one person's data: download it, or erase it (essaybank.personal_data)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from essays.models import Person

from . import personal_data
from .forms import ErasureForm


class PersonalDataMixin:
    def dispatch(self, request, *args, person_id, **kwargs):
        # Who may act is checked before the person is looked up: no one else learns which ids exist.
        if not personal_data.may_handle(request.user):
            raise PermissionDenied
        self.person = get_object_or_404(Person.objects.select_related("team", "user"), pk=person_id)
        if not personal_data.may_handle(request.user, self.person):
            raise PermissionDenied
        if personal_data.is_erased_author(self.person):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ExportView(PersonalDataMixin, View):
    def get(self, request):
        content = personal_data.export_bytes(self.person, user=request.user)
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="henkilotiedot-{self.person.pk}.zip"'
        return response


class EraseView(PersonalDataMixin, WagtailAdminTemplateMixin, FormView):
    form_class = ErasureForm
    template_name = "essaybank/erase_person.html"
    header_icon = "user"
    page_title = gettext_lazy("Erase a person's data")

    def get_page_subtitle(self):
        return self.person.name

    def get_form_kwargs(self):
        essays = personal_data.authored_essays(self.person).prefetch_related("essay_authors__person")
        return {**super().get_form_kwargs(), "essays": list(essays)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            person=self.person,
            erased_author_name=personal_data.ERASED_AUTHOR_NAME,
            award_count=self.person.awards.count(),
        )
        return context

    def form_valid(self, form):
        try:
            result = personal_data.erase(self.person, form.choices(), user=self.request.user)
        except personal_data.PersonalDataError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, personal_data.summary(result.as_dict()))
        return redirect("wagtailsnippets_essays_person:list")
