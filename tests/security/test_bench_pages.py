"""The security pages the bench times find a record on the seeded demo data and answer."""

import random

import pytest
from django.urls import reverse

from accompaniment.seeding import seed_demo_data
from aluna.accounts.models import User
from aluna.accounts.seeding import demo_user, seed_users
from bench.pages import PAGES
from security.seeding import seed_security

pytestmark = pytest.mark.django_db

SECURITY_PAGES = ("security", "risk assessment", "measures granted", "check-in")


def test_every_security_bench_page_answers_on_the_seeded_data(login):
    seed_users(scale="small", rng=random.Random(1))
    seed_demo_data(scale="small", rng=random.Random(2))
    seed_security(scale="small", rng=random.Random(3))
    pages = [p for p in PAGES if p.name.startswith(SECURITY_PAGES)]
    statuses = {}

    for page in pages:
        user = User.objects.get(email=demo_user(page.user).email)
        url = page.url_for(user) if page.url_for else reverse(page.url_name)
        statuses[page.name] = login(user).get(url).status_code if url else "no record"

    assert len(pages) >= 10
    assert statuses == {page.name: 200 for page in pages}
