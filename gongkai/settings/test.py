"""Settings for the test suite: the same as production except speed-ups and the task backend."""

import os

os.environ.setdefault("DEBUG", "false")

from gongkai.settings.base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S105 - speed only
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
AXES_FAILURE_LIMIT = 5
# The second factor is tested on its own (accounts/tests/test_security.py); elsewhere tests
# log in with the password only.
GONGKAI_REQUIRE_2FA = False
# Public pages are cached for anonymous visitors in production; the suite reads fresh pages
# except where gongkai/core/tests/test_pagecache.py turns the cache on.
PUBLIC_PAGE_CACHE_SECONDS = 0
