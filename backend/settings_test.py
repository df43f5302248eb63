"""Settings for the test suite: the real settings with fast password hashing and captured email."""

import os

os.environ.setdefault("TESTING", "true")

from backend.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRODUCTION_RATE_LIMITS = dict(ACCOUNT_RATE_LIMITS)  # type: ignore[used-before-def]  # noqa: F405
ACCOUNT_RATE_LIMITS = False  # type: ignore[assignment]  # rate limits have their own test that switches them back on

# Parallel test processes share one Redis: keep their keys and groups apart.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
if REDIS_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"test-{_worker}"  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"test-{_worker}"  # noqa: F405
