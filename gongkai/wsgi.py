"""WSGI entry point for production servers (and ``runserver``, through WSGI_APPLICATION).

A production process (DEBUG off) refuses to start without a cache shared by all server
processes (``core.checks.check_shared_cache``): rate limits would count per process.
Every process that loads the application warms up the search before its first request
(``gongkai.search.warmup``): gunicorn workers and the development server alike.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
application = get_wsgi_application()

from gongkai.core.checks import check_shared_cache  # noqa: E402 - needs the settings

if problems := check_shared_cache():  # production without a shared cache: refuse to start
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"{problems[0].msg} {problems[0].hint}")

from gongkai.search import warmup  # noqa: E402 - needs the application (settings, apps)

if warmup.enabled():
    warmup.warm_up()
