import os
import shutil
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from wagtail.signal_handlers import disable_reference_index_auto_update

from concepts.models import ConceptIndexPage
from essaybank.site_structure import ensure_site_structure
from essays.models import BookSummaryIndexPage, EssayIndexPage
from search import caches
from tests import database
from tests.factories import UserFactory


def pytest_configure(config):
    # whitenoise warns that collectstatic has not run; the tests do not serve static files.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


def pytest_collection_modifyitems(items):
    """Mark every test that drives Chromium, so that a run can select or leave out browser tests."""
    for item in items:
        if "browser" in item.fixturenames:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def fresh_index_counts(monkeypatch):
    """Each test counts index entries and their terms afresh: a process keeps those counts for
    minutes, which would carry one test's data into the next one's ranking."""
    caches.counts.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the page tree once per test database; each test's changes to it are rolled back."""
    with django_db_blocker.unblock():
        ensure_site_structure()


@contextmanager
def _module_transaction(django_db_blocker, search_index_updates):
    backends = settings.WAGTAILSEARCH_BACKENDS
    if not search_index_updates:
        backends = {name: {**conf, "AUTO_UPDATE": False} for name, conf in backends.items()}
    with django_db_blocker.unblock(), override_settings(WAGTAILSEARCH_BACKENDS=backends):
        with disable_reference_index_auto_update(), transaction.atomic():
            ensure_site_structure()
            yield
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """A transaction open for a whole test module, rolled back at its end.

    A module-scoped fixture that requests it builds data once for all the module's tests, which
    then all see that data; each test still runs in a savepoint of its own, so what a test changes
    is undone after it. Search and reference index updates are off while the data is built.
    """
    with _module_transaction(django_db_blocker, search_index_updates=False):
        yield


@pytest.fixture(scope="module")
def indexed_module_db(django_db_setup, django_db_blocker):
    """module_db with the search index updated as the data is built."""
    with _module_transaction(django_db_blocker, search_index_updates=True):
        yield


@pytest.fixture
def site_tree(db):
    """The home page and its three section pages, as every Esseepankki site has them."""
    home = ensure_site_structure()
    return SimpleNamespace(
        home=home,
        essay_index=EssayIndexPage.objects.child_of(home).get(),
        summary_index=BookSummaryIndexPage.objects.child_of(home).get(),
        concept_index=ConceptIndexPage.objects.child_of(home).get(),
    )


@pytest.fixture
def member(db):
    """A signed-in member of the community with no special rights."""
    return UserFactory(username="jasen")


@pytest.fixture
def member_client(member):
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def superuser(db):
    return UserFactory(username="paakayttaja", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def client_for():
    """A client signed in as the given user."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def without_index_updates(settings):
    """Skip the search and reference index updates on save.

    They are most of the cost of creating a page; modules that never search use this
    (pytestmark = pytest.mark.usefixtures("without_index_updates")).
    """
    backends = settings.WAGTAILSEARCH_BACKENDS
    settings.WAGTAILSEARCH_BACKENDS = {name: {**conf, "AUTO_UPDATE": False} for name, conf in backends.items()}
    with disable_reference_index_auto_update():
        yield


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by Selenium, its console kept for the tests to read.

    `make system` installs chromium and chromium-driver (as root on Debian); elsewhere the browser
    tests are skipped, except in CI (CI set), where a missing browser fails them.
    """
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and chromedriver):
        missing = "chromium and chromedriver are not installed (Debian: apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=fi"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def committed_module_db(django_db_setup, django_db_blocker):
    """The database open for a whole module whose data is committed, so that a live server's
    thread reads it, and put back as it was at the module's end.

    A transactional test before may have left the tables empty for the next one to restore from
    the contents serialized at the start of the session; they are restored here the same way.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        serialized = getattr(connection, "_test_serialized_contents", None)
        if serialized:
            connection.creation.deserialize_db_from_string(serialized)
        ensure_site_structure()
        snapshot = connection.creation.serialize_db_to_string()
        try:
            yield
        finally:
            database.restore(snapshot)


@pytest.fixture(scope="module")
def module_live_server(committed_module_db):
    """A live server for one module's tests, which share its committed data (committed_module_db);
    pytest-django's live_server would empty the database after every test."""
    from pytest_django.live_server_helper import LiveServer

    # The test settings allow the host; links in e-mails lead to this server.
    server = LiveServer("localhost")
    with override_settings(WAGTAILADMIN_BASE_URL=server.url):
        yield server
    server.stop()
