"""The admin templates that copy a block of Wagtail's to change a line of it: each copy must be
Wagtail's block with only our changes, so that a Wagtail upgrade that changes the block fails here
instead of silently losing Wagtail's change or ours."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

BLOCK_TAG = re.compile(r"{%\s*(?:block\s+(\w+)|endblock(?:\s+\w+)?)\s*%}")
COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)

# (template, block or None for the whole template, [(Wagtail's text, ours)])
OVERRIDES = [
    pytest.param(
        "wagtailadmin/home.html",
        "content",
        [('value="Search"', 'value="{% translate "Search" context "search button" %}"')],
        id="dashboard-search-button",
    ),
    # Whole: the content block works the times out before its block.super, so a copy of that block
    # alone would still render Wagtail's.
    pytest.param(
        "wagtailadmin/shared/side_panels/includes/status/workflow.html",
        None,
        [
            ("{% load wagtailadmin_tags i18n %}", "{% load wagtailadmin_tags i18n humanize admin_tags %}"),
            ("{% timesince_last_update ", "{% when_last_updated "),
            (
                "{% block action %} {% if workflow_state and not hide_action %}",
                """{% block action %}
                {% if workflow_state.status == "needs_changes" and not hide_action and not is_partial
                and object.get_latest_revision %}
                {% dialog_toggle classname='w-bg-transparent w-text-14 w-p-0 w-text-text-link-default
                hover:w-text-text-link-hover w-inline-flex w-justify-center w-transition'
                dialog_id="workflow-status-dialog" text=action_text %}
                {% with task_state=workflow_state.current_task_state %}
                {% blocktranslate trimmed with user=task_state.finished_by|user_display_name
                when=task_state.finished_at|naturaltime asvar asked %}
                {{ user }} asked for changes {{ when }}
                {% endblocktranslate %}
                {% dialog id="workflow-status-dialog" icon_name="list-ul" title=workflow_state.workflow.name
                message_status='info' message_heading=asked %}
                {% include 'wagtailadmin/workflows/workflow_status.html' %}
                {% enddialog %}
                {% endwith %}
                {% elif workflow_state and not hide_action %}""",
            ),
            (
                "{% block bottom %} {# Workflow Status #}",
                """{% block bottom %}
                {% if object.current_workflow_state.status == "needs_changes" %}
                <p class="w-label-3 w-ml-8">{% translate "Waiting for the author's changes" %}</p>
                {% endif %}
                {# Workflow Status #}""",
            ),
        ],
        id="status-panel",
    ),
    pytest.param(
        "wagtailadmin/reports/aging_pages_results.html",
        "results",
        [
            (
                '{% include "wagtailadmin/shared/user_avatar.html" with user=page.last_published_by '
                "username=page.last_published_by_user %}",
                '{% if page.last_published_by %} {% include "wagtailadmin/shared/user_avatar.html" with '
                "user=page.last_published_by username=page.last_published_by_user %} {% else %} "
                '<span aria-hidden="true">—</span><span class="w-sr-only">{% translate "Published without a '
                'user (import or demo)" %}</span> {% endif %}',
            )
        ],
        id="aging-pages-publisher",
    ),
    # The app's cell has no block of its own, so the whole template is ours.
    pytest.param(
        "wagtailadmin/reports/listing/_list_page_types_usage.html",
        None,
        [
            ("wagtailcore_tags %}", "wagtailcore_tags admin_tags %}"),
            ("{{ page_type.name|title }}", "{{ page_type.name|capfirst }}"),
            ("{{ page_type.app_label }}.{{ page_type.model }}", "{{ page_type|app_name }}"),
        ],
        id="page-types-app-names",
    ),
]


def block_source(path, name):
    """A template's text, or one block's text (with the blocks inside it), without comments, with
    each run of white space as one space (our templates are indented by djhtml)."""
    text = COMMENT.sub("", Path(path).read_text())
    if name is not None:
        tags = list(BLOCK_TAG.finditer(text))
        start = next(index for index, tag in enumerate(tags) if tag.group(1) == name)
        depth = 0
        for tag in tags[start:]:
            depth += 1 if tag.group(1) else -1
            if depth == 0:
                text = text[tags[start].start() : tag.end()]
                break
    return " ".join(text.split())


@pytest.mark.parametrize(("template", "block", "changes"), OVERRIDES)
def test_the_copied_block_is_wagtails_with_our_changes_only(template, block, changes):
    wagtails = block_source(Path(apps.get_app_config("wagtailadmin").path) / "templates" / template, block)
    for original, ours in changes:
        assert original in wagtails, f"Wagtail's {template} no longer has {original!r}"
        wagtails = wagtails.replace(original, re.sub(r"\s+", " ", ours))
    assert block_source(Path(settings.BASE_DIR) / "templates" / template, block) == wagtails
