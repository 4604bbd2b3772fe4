"""Settings shared by every environment.

Safe for production on its own: DEBUG is off and nothing secret has a default.
Every environment variable the project reads is read here and nowhere else.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# How much of an SQLite database file is memory-mapped (SQLite caps it at 2 GB unless built otherwise).
SQLITE_MMAP_BYTES = int(os.environ.get("SQLITE_MMAP_BYTES", 2**31))
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL", "")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "esseepankki_")
# Uploaded images and documents are served by the site itself only when this is set; behind a
# reverse proxy the proxy serves MEDIA_ROOT at /media/ instead (docs/operations.md).
SERVE_MEDIA = os.environ.get("DJANGO_SERVE_MEDIA", "") == "1"
# How many reverse proxies stand in front, each appending to X-Forwarded-For (0: none, the header is ignored).
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Esseepankki <esseepankki@localhost>")
DEMO_ADMIN_PASSWORD = os.environ.get("DEMO_ADMIN_PASSWORD", "")

INSTALLED_APPS = [
    "essaybank",
    "essays",
    "concepts",
    "search",
    "citations",
    "grading",
    "originality",
    "openweb",
    "community",
    "wagtail.contrib.forms",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "grading.apps.UsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    # Wagtail's "sent … a minute ago" uses humanize's naturaltime, whose Finnish comes with the app.
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First, so that everything after it sees the client's address rather than the proxy's.
    "essaybank.middleware.ForwardedClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # E-mail sent while answering a request links to the address the request came to.
    "grading.addresses.RequestAddressMiddleware",
    "grading.middleware.AdminEssayVisibilityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "essaybank.middleware.OldPostAddressMiddleware",
    "essaybank.middleware.ContentSecurityPolicyMiddleware",
    "essaybank.middleware.MissingFormFieldMiddleware",
    # Last, so that it turns a locked-out login into its own answer.
    "axes.middleware.AxesMiddleware",
]

# Repeated wrong passwords lock out the account and, separately, the address for an hour.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"

# Scripts only from our own files (a nonce for any inline one; the admin's exception is in
# essaybank.middleware); Wagtail's admin sets style attributes from its scripts, so inline styles
# stay allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# The admin asks no outside service: no avatars from Gravatar, no check for Wagtail releases.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Nor does it point people to Wagtail's English release notes and editor guide (essaybank.wagtail_hooks).
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

ROOT_URLCONF = "essaybank.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "essaybank.wsgi.application"

DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The admin's autosave and editing-session requests overlap page saves; SQLite's default
    # deferred transactions then fail with "database is locked" instead of waiting their turn.
    # Write-ahead logging lets readers go on while an import or an admin save writes, and a search,
    # which reads thousands of scattered rows, reads them memory-mapped from the OS cache.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size={SQLITE_MMAP_BYTES}",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The public site speaks Finnish whatever the browser asks for; the admin follows each user's own choice.
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("en", _("English"))]
# The project's own strings, then its Finnish for Wagtail's admin where Wagtail's catalogue lacks or breaks a
# string (locale-wagtail/); both ahead of every app's catalogue.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-wagtail"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fi", "Suomi"), ("en", "English")]
# Dates read d.m.yyyy and times "klo 10.12" (essaybank/formats/fi). The admin's form fields write
# 5.12.2026 (essaybank/widgets.py); Wagtail's own filters and schedule use these formats, with leading
# zeros, because Wagtail derives their calendar's format from them and has no code for none.
FORMAT_MODULE_PATH = ["essaybank.formats"]
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H.%M"
WAGTAIL_TIME_FORMAT = "%H.%M"

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Files browsers and crawlers ask for at the site's root (/favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The page editor of an essay with many authors and sources posts a lot of fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Esseepankki"
WAGTAILADMIN_USER_LOGIN_FORM = "essaybank.forms.LoginForm"
# The zones offered in the account settings; the system's full list includes "localtime", which
# browsers refuse.
WAGTAIL_USER_TIME_ZONES = ["Europe/Helsinki", "Europe/Stockholm", "Europe/Tallinn", "UTC"]
# Members sign in through the Wagtail admin login; protected essays send readers there.
LOGIN_URL = "wagtailadmin_login"
# Grading publishes an approved essay although the coach holds no publish permission.
WAGTAIL_FINISH_WORKFLOW_ACTION = "grading.workflows.publish_when_finished"
# No autosave: it created a page as soon as a student began typing, leaving abandoned drafts, and
# could store a revision from before the latest keystrokes. A page is saved when its writer saves it;
# leaving the editor with unsaved changes still asks first.
WAGTAIL_AUTOSAVE_INTERVAL = 0
# Every rich-text editor offers the citation entity of the citations app (see citations/widgets.py).
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "citations.widgets.CitingDraftailRichTextArea"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]

# The database backend indexes the text finnish.analysis prepares; PostgreSQL's "simple"
# configuration keeps those terms as they are (a stemmer would stem them again). With a search
# cluster, the database backend stays configured (and updated on every save) so searches
# still answer while the cluster is down.
DATABASE_SEARCH_BACKEND = {
    "BACKEND": {
        "django.db.backends.postgresql": "search.backends.postgres.backend.FinnishPostgresSearchBackend",
        "django.db.backends.sqlite3": "search.backends.sqlite.backend.FinnishSQLiteSearchBackend",
    }[DATABASES["default"]["ENGINE"]],
    "SEARCH_CONFIG": "simple",
}
# A search cluster, when one is configured: OpenSearch or Elasticsearch 9, its nodes' URLs
# separated by commas (the client turns to another node while one is down).
SEARCH_CLUSTER_URLS = env_list("OPENSEARCH_URL") or env_list("ELASTICSEARCH_URL")
if SEARCH_CLUSTER_URLS:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.opensearch.backend.FinnishOpenSearchBackend"
            if OPENSEARCH_URL
            else "search.backends.elasticsearch.backend.FinnishElasticsearchBackend",
            "URLS": SEARCH_CLUSTER_URLS,
            "INDEX_PREFIX": ELASTICSEARCH_INDEX_PREFIX,
            "FALLBACK": "database",
        },
        "database": DATABASE_SEARCH_BACKEND,
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": DATABASE_SEARCH_BACKEND}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # opensearch-py warns of every error status, a 404 for each document deleted that the cluster
    # never held among them; the search backends log the faults that matter.
    "loggers": {"opensearch": {"level": "ERROR"}},
}
