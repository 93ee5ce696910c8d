import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iamm.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, every view through the URLconf) lives as long as
# the process. Moved out of the collector's reach, it is no longer traversed by every full
# collection a request's garbage sets off (3 to 10 % of a page's CPU, `make bench`), and a
# gunicorn worker forked from a preloading master does not copy the pages it sits on.
get_resolver().url_patterns  # noqa: B018 (imports the views now, not on the first request)
gc.freeze()
