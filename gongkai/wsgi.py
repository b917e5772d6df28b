"""WSGI entry point for production servers (and ``runserver``, through WSGI_APPLICATION).

Every process that loads the application warms up the search before its first request
(``gongkai.search.warmup``): gunicorn workers and the development server alike.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
application = get_wsgi_application()

from gongkai.search import warmup  # noqa: E402 - needs the application (settings, apps)

if warmup.enabled():
    warmup.warm_up()
