"""Test settings: the base settings with the few values tests need to differ."""

import os

os.environ.setdefault("AMTSFLOW_HTTPS", "false")
os.environ.setdefault("AMTSFLOW_LOG_FORMAT", "console")
os.environ.setdefault("AMTSFLOW_LOG_LEVEL", "WARNING")

from amtsflow.conf.settings import *  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
CELERY_TASK_ALWAYS_EAGER = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
