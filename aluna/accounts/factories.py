import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from faker import Faker

from aluna.accounts.models import User

DEFAULT_PASSWORD = "correct horse battery staple"
# Argon2 is slow on purpose; hash the shared test password once.
_HASHED_DEFAULT_PASSWORD = make_password(DEFAULT_PASSWORD)


_faker = Faker("es_MX")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@aluna.test")
    # A first and a last name: Faker's "name" may start with "Sra." or "Lic.".
    full_name = factory.LazyFunction(lambda: f"{_faker.first_name()} {_faker.last_name()}")
    password = _HASHED_DEFAULT_PASSWORD

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        self.groups.add(*Group.objects.filter(name__in=[str(r) for r in extracted]))
        self.__dict__.pop("role_codes", None)
