"""A ciphertext copied into another row must not decrypt there (issue 17, not done yet).

Today the associated data binds a ciphertext to its model and field only, so
someone who can write the database can swap two subjects' names and the app
shows each subject with the other's name. This test states the attack; it is
expected to fail until the row's primary key is part of the associated data,
and then (strict) it starts passing and its xfail mark must go.
"""

import pytest
from django.db import connection

from accompaniment.factories import PoliticalSubjectFactory
from accompaniment.models import PoliticalSubject
from aluna.encryption.keys import DecryptionError

pytestmark = pytest.mark.django_db


@pytest.mark.xfail(
    strict=True,
    # Only "DID NOT RAISE" counts as the expected failure; any other error is a real one.
    raises=pytest.fail.Exception,
    reason="ciphertexts are bound to model and field, not yet to the row",
)
def test_a_name_swapped_between_two_rows_in_sql_does_not_decrypt():
    first = PoliticalSubjectFactory(name="Primera Persona", alias="Uno")
    second = PoliticalSubjectFactory(name="Segunda Persona", alias="Dos")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accompaniment_politicalsubject AS a SET name = b.name "
            "FROM accompaniment_politicalsubject AS b WHERE a.id = %s AND b.id = %s",
            [first.pk, second.pk],
        )

    with pytest.raises(DecryptionError):
        PoliticalSubject.objects.get(pk=first.pk).name  # noqa: B018
