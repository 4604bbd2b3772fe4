from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from .models import EssayConceptLink


class ManualDecisionMixin:
    """Whatever an editor saves here is the editor's decision, which automatic linking keeps."""

    def save_instance(self):
        self.form.instance.origin = EssayConceptLink.Origin.MANUAL
        return super().save_instance()


class ConceptLinkCreateView(ManualDecisionMixin, CreateView):
    pass


class ConceptLinkEditView(ManualDecisionMixin, EditView):
    pass


class EssayConceptLinkViewSet(ModelViewSet):
    model = EssayConceptLink
    icon = "link"
    menu_label = _("Concept links")
    menu_order = 260
    add_to_admin_menu = True
    add_view_class = ConceptLinkCreateView
    edit_view_class = ConceptLinkEditView
    form_fields = ["essay", "concept", "linked"]
    list_display = [
        "essay",
        "concept",
        BooleanColumn("linked", label=_("Shown as a link")),
        Column("get_origin_display", label=_("Origin")),
        "mentions",
    ]
    list_filter = ["origin", "linked", "concept"]
    search_fields = ["essay__title", "concept__title"]


@hooks.register("register_admin_viewset")
def register_concept_link_viewset():
    return EssayConceptLinkViewSet("concept_links")
