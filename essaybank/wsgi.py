import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essaybank.settings.dev")

application = get_wsgi_application()

# What start-up loaded (Django, Wagtail, our modules: some 200 000 objects) lives as long as the
# process. Frozen, it is no longer scanned by every full garbage collection, which otherwise took
# about 100 ms in the middle of whichever request set it off.
gc.freeze()
