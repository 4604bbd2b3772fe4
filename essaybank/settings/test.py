from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tests sign in with force_login or the test client's login, which passes no request to
# authenticate; the lockout tests turn Axes on for themselves.
AXES_ENABLED = False
# On a search cluster the tests use indexes of their own, each write searchable at once.
if "FALLBACK" in WAGTAILSEARCH_BACKENDS["default"]:  # noqa: F405
    WAGTAILSEARCH_BACKENDS["default"] |= {  # noqa: F405
        "INDEX_PREFIX": f"test_{ELASTICSEARCH_INDEX_PREFIX}",  # noqa: F405
        "REFRESH_WRITES": True,
    }
