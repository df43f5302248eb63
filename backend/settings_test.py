"""Settings for the test suite: the real settings with fast password hashing and captured email."""

import os

os.environ.setdefault("TESTING", "true")

from backend.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_RATE_LIMITS_ENABLED = False  # rate limits have their own test that switches them back on
