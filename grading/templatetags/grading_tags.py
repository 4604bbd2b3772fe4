from django import template
from django.utils.translation import ngettext

from grading.models import GradingSettings, books_of, resent_on, submission_date, suggest_points
from originality.matching import unaccepted_overlap_percent, warning_percent

register = template.Library()


@register.filter(name="points")
def points_text(count):
    """ "1 esseepiste", "2 esseepistettä": the number with the word in the right form."""
    count = count or 0
    return ngettext("%(count)d essay point", "%(count)d essay points", count) % {"count": count}


@register.simple_tag
def grading_facts(task_state, matches=None):
    """What the coach needs beside the form: the essay as submitted, its date, the suggested points
    and the overlap to warn of, from the essay's matches where the page has them."""
    essay = task_state.revision.as_object()
    submitted = submission_date(essay)
    return {
        "essay": essay,
        "submitted": submitted,
        "books": books_of(essay),
        "authors": [authorship.person for authorship in essay.essay_authors.all()],
        "suggestion": suggest_points(essay, submitted, GradingSettings.current().point_system),
        "earlier_awards": essay.awards.current().select_related("student") if essay.pk else [],
        "resent": resent_on(task_state),
        "overlap": unaccepted_overlap_percent(essay) if matches is None else warning_percent(matches),
    }
