from django.apps import AppConfig


class EncryptionAppConfig(AppConfig):
    """Test-only: a model that uses every encrypted field and a blind index."""

    name = "tests.encryption_app"
    label = "encryption_app"
    default_auto_field = "django.db.models.BigAutoField"
