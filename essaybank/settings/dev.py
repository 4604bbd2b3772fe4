import os

from .base import *  # noqa: F403

# `make run` serves the demo with DEBUG off, so that people trying it meet the site's own Finnish
# error pages; DJANGO_DEBUG=1 turns Django's debug pages on for developers.
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
SECRET_KEY = SECRET_KEY or "dev-only-secret-key-not-for-production"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost"]  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# WhiteNoise serves the apps' static files straight from their folders, without collectstatic, DEBUG or not.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded images are served by the site itself: the demo has no reverse proxy.
SERVE_MEDIA = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
