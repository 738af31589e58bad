"""Test settings: the base settings with the few values tests need to differ."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("AMTSFLOW_HTTPS", "false")
os.environ.setdefault("AMTSFLOW_LOG_FORMAT", "console")
os.environ.setdefault("AMTSFLOW_LOG_LEVEL", "WARNING")

from amtsflow.conf.settings import *  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
CELERY_TASK_ALWAYS_EAGER = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's in-memory default, so a real Celery worker process can open the test database.
    # The PID keeps concurrent runs apart; Django deletes the file when the test database is destroyed.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(
        Path(tempfile.gettempdir()) / f"amtsflow-test-{os.getpid()}.sqlite3"
    )

# Code outside requests (services, commands) speaks English in tests, so assertions do not depend on the
# catalogue; requests still negotiate German through Accept-Language.
LANGUAGE_CODE = "en"
