"""The page tree every Esseepankki site has: a home page and its three sections."""

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from concepts.models import ConceptIndexPage
from essaybank.models import HomePage
from essays.models import BookSummaryIndexPage, EssayIndexPage

SITE_NAME = "Esseepankki"
ROOT_TITLE = "Kaikki sivustot"
SECTIONS = [
    (EssayIndexPage, "esseet", "Esseet"),
    (BookSummaryIndexPage, "tiivistelmat", "Kirjatiivistelmät"),
    (ConceptIndexPage, "kasitteet", "Käsitteet"),
]


@transaction.atomic
def ensure_site_structure():
    """Create the home page, its sections and the default site where missing; return the home page."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title=_("Essay bank"), slug="esseepankki", show_in_menus=False))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=SITE_NAME)
    elif site.root_page_id != home.pk or not site.site_name:
        # Wagtail's own first site has no name, and the admin would call it by its host name ("localhost").
        site.root_page = home
        site.site_name = site.site_name or SITE_NAME
        site.save()
    # The admin shows the tree's root by its title, which Wagtail creates in English.
    Page.objects.filter(depth=1, title="Root").update(title=ROOT_TITLE, draft_title=ROOT_TITLE)
    Page.objects.filter(depth=2).exclude(pk=home.pk).exact_type(Page).delete()
    for model, slug, title in SECTIONS:
        if not model.objects.child_of(home).exists():
            section = home.add_child(instance=model(title=title, slug=slug, show_in_menus=True))
            section.save_revision().publish()
    return home


def section(model):
    """The live section page of this type, creating the site structure if it is missing."""
    return model.objects.live().first() or model.objects.child_of(ensure_site_structure()).first()
