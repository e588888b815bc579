from django.apps import AppConfig, apps
from django.core import checks
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class EncryptionConfig(AppConfig):
    name = "aluna.encryption"
    label = "encryption"
    verbose_name = _("Encryption")

    def ready(self):
        from aluna.encryption import blind_index
        from aluna.encryption.fields import _allocate_pk_before_save

        # Encrypted values are bound to their row's pk: an auto-increment one is
        # taken from its sequence before the INSERT (fields.py).
        pre_save.connect(_allocate_pk_before_save, dispatch_uid="encryption_allocate_pk")

        # No sender: any model that declares blind_index_fields is kept indexed.
        post_save.connect(blind_index._on_save, dispatch_uid="encryption_blind_index_save")
        post_delete.connect(blind_index._on_delete, dispatch_uid="encryption_blind_index_delete")
        checks.register(check_blind_index_fields)


def check_blind_index_fields(app_configs=None, **kwargs):
    from aluna.encryption.blind_index import check_declarations

    return [
        checks.Error(problem, id="encryption.E002")
        for model in apps.get_models()
        for problem in check_declarations(model)
    ]
