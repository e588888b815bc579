from allauth.mfa.adapter import DefaultMFAAdapter

from aluna.encryption import keys

_SECRETS = b"allauth.mfa.authenticator.data"


class MFAAdapter(DefaultMFAAdapter):
    """Keep TOTP secrets and recovery-code seeds encrypted at rest.

    allauth stores them as given by encrypt(); its default is plaintext.
    """

    def encrypt(self, text: str) -> str:
        return keys.encrypt(text.encode(), associated_data=_SECRETS)

    def decrypt(self, encrypted_text: str) -> str:
        return keys.decrypt(encrypted_text, associated_data=_SECRETS).decode()
