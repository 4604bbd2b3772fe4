"""The admin's merge of two records of one book or one person (essays.merging)."""

from django import forms
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.encoding import uri_to_iri
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from finnish.collation import sort_key

from .merging import merge, what_moves
from .models import Book, Person

MERGEABLE = {"book": Book, "person": Person}
TOKEN_SALT = "essays.merge"
# A confirmation left open longer than this is asked again: the records may have changed meanwhile.
TOKEN_MAX_AGE = 60 * 60


def choice_label(record):
    """A record as the merge form offers it: two spellings of one book or name look alike by title
    alone, so its authors and year, or a person's role and team, and its number come with it."""
    if isinstance(record, Book):
        details = [record.authors_display, str(record.year or "")]
    else:
        details = [record.get_role_display(), str(record.team or "")]
    return _("%(name)s (%(details)s, no. %(id)s)") % {
        "name": record,
        "details": ", ".join(detail for detail in details if detail) or "–",
        "id": record.pk,
    }


class MergeForm(forms.Form):
    other = forms.TypedChoiceField(label=gettext_lazy("The other record"), coerce=int)
    keep = forms.ChoiceField(
        label=gettext_lazy("Keep"),
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "The record kept gets the other's essays, summaries, citations and awards; the other's address "
            "redirects to it."
        ),
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        others = type(record).objects.exclude(pk=record.pk)
        others = others.prefetch_related("authors") if isinstance(record, Book) else others.select_related("team")
        others = sorted(others, key=lambda other: sort_key(str(other)))
        self.fields["other"].choices = [("", "---------")] + [(other.pk, choice_label(other)) for other in others]
        self.fields["keep"].choices = [
            ("this", _("This one: %(name)s") % {"name": choice_label(record)}),
            ("other", _("The other one")),
        ]


class MergeView(WagtailAdminTemplateMixin, FormView):
    """Two steps: choose the other record and the one to keep, then confirm what moves. Only the
    confirmation, carrying a signed token naming the two records, merges."""

    template_name = "essays/admin/merge.html"
    form_class = MergeForm
    header_icon = "resubmit"

    def dispatch(self, request, *args, model_name, pk, **kwargs):
        model = MERGEABLE.get(model_name)
        if model is None:
            raise PermissionDenied
        label = model._meta.model_name
        if not (request.user.has_perm(f"essays.change_{label}") and request.user.has_perm(f"essays.delete_{label}")):
            raise PermissionDenied
        self.model_name = model_name
        self.record = model.objects.filter(pk=pk).first()
        if self.record is None:
            messages.error(request, _("That record no longer exists: it may have been merged already."))
            return redirect(f"wagtailsnippets_essays_{label}:list")
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Merge “%(name)s” with another record") % {"name": self.record}

    def get_breadcrumbs_items(self):
        listing = {"url": reverse(f"wagtailsnippets_essays_{self.record._meta.model_name}:list")}
        listing["label"] = capfirst(self.record._meta.verbose_name_plural)
        return [*self.breadcrumbs_items, listing, {"url": "", "label": self.get_page_title()}]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "record": self.record}

    def get_context_data(self, **kwargs):
        return super().get_context_data(record=self.record, **kwargs)

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.confirmed(request.POST["token"])
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        other = type(self.record).objects.filter(pk=form.cleaned_data["other"]).first()
        if other is None:
            form.add_error("other", _("That record no longer exists."))
            return self.form_invalid(form)
        kept, merged = (self.record, other) if form.cleaned_data["keep"] == "this" else (other, self.record)
        token = signing.dumps({"model": self.model_name, "kept": kept.pk, "merged": merged.pk}, salt=TOKEN_SALT)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                confirmation={
                    "kept": kept,
                    "merged": merged,
                    "moves": sorted(what_moves(merged).items(), key=lambda item: sort_key(item[0])),
                    # "/kirjat/…-mitä-…/" as people read and type it, not percent-encoded.
                    "old_url": uri_to_iri(merged.get_absolute_url()),
                    "new_url": uri_to_iri(kept.get_absolute_url()),
                    "token": token,
                },
            )
        )

    def refuse(self, message):
        messages.error(self.request, message)
        return redirect("essays_merge", self.model_name, self.record.pk)

    def confirmed(self, token):
        try:
            chosen = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature:
            return self.refuse(_("The confirmation was not valid or has expired: nothing was merged. Choose again."))
        if chosen.get("model") != self.model_name or self.record.pk not in (chosen.get("kept"), chosen.get("merged")):
            return self.refuse(_("The confirmation was for other records: nothing was merged. Choose again."))
        model = type(self.record)
        kept = model.objects.filter(pk=chosen["kept"]).first()
        merged = model.objects.filter(pk=chosen["merged"]).first()
        if kept is None or merged is None:
            return self.refuse(
                _("One of the two records no longer exists: it may have been merged already. Nothing was merged.")
            )
        merged_name = str(merged)
        try:
            merge(kept, merged)
        except ValidationError as error:
            return self.refuse(" ".join(error.messages))
        messages.success(
            self.request,
            _("“%(merged)s” was merged into “%(kept)s”; its address now leads there.")
            % {"merged": merged_name, "kept": kept},
        )
        return redirect(f"wagtailsnippets_essays_{kept._meta.model_name}:edit", kept.pk)
