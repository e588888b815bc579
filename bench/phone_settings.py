"""bench/phone.py's server: the project's settings with static files as in production
(collected with hashed names and compressed; whitenoise serves them with far-future
caching), into the folder the benchmark gives in PHONE_STATIC_ROOT."""

import os

from aluna.settings import *  # noqa: F403

STATIC_ROOT = os.environ["PHONE_STATIC_ROOT"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
