"""'What links here': the pages and records that refer to a concept, a book or a person,
read from Wagtail's reference index (foreign keys, inline links and rich-text links alike)."""

from wagtail.models import Page, ReferenceIndex

from essays.models import EssayPage
from essays.privacy import listable_by
from finnish.collation import sort_key


def referring_objects(target):
    seen = set()
    for referrer, _references in ReferenceIndex.get_grouped_references_to(target):
        key = (type(referrer), referrer.pk)
        if key not in seen and referrer != target:
            seen.add(key)
            yield referrer


def what_links_here(target, user, shown=()):
    """[(heading, [(label, url), …]), …] of what refers to the target and the user may see,
    less what the page lists already (`shown`: iterables of pages or records)."""
    listed = {(Page if isinstance(item, Page) else type(item), item.pk) for items in shown for item in items}
    pages, records = [], []
    for referrer in referring_objects(target):
        if (Page if isinstance(referrer, Page) else type(referrer), referrer.pk) in listed:
            continue
        if isinstance(referrer, Page):
            pages.append(referrer)
        elif hasattr(referrer, "get_absolute_url"):
            records.append(referrer)
    readable_essays = set(
        EssayPage.objects.filter(pk__in=[page.pk for page in pages]).visible_to(user).values_list("pk", flat=True)
    )
    groups = {}
    for page in listable_by(Page.objects.filter(pk__in=[page.pk for page in pages], live=True), user).specific():
        if isinstance(page, EssayPage) and page.pk not in readable_essays:
            continue
        groups.setdefault(type(page)._meta.verbose_name_plural, []).append((page.title, page.url))
    for record in records:
        groups.setdefault(type(record)._meta.verbose_name_plural, []).append((str(record), record.get_absolute_url()))
    return [
        (str(heading).capitalize(), sorted(items, key=lambda item: sort_key(item[0])))
        for heading, items in sorted(groups.items(), key=lambda group: sort_key(str(group[0])))
    ]
