"""The live suite: runs against a real cluster when ELASTICSEARCH_URL is set, and is skipped otherwise."""

import os

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from modelsearch.backends import get_search_backend

from search.engine import Search, SearchRequest

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="live suite: set ELASTICSEARCH_URL")
def test_live_cluster_finds_inflected_word(corpus):
    call_command("update_index", verbosity=0)
    search = Search(
        SearchRequest.from_query({"q": "asiakaskokemukseen"}), AnonymousUser(), backend=get_search_backend()
    )
    assert search.answered_by == "elasticsearch"
    assert "Asiakaskokemus kahvilan arjessa" in [hit.title for hit in search.hits]
