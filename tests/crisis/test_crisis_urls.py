from django.urls import reverse


def test_crisis_pages_have_no_name_in_their_urls():
    assert reverse("crisis:crisis-board") == "/acompanamiento/crisis/"
    assert reverse("crisis:crisis-create") == "/acompanamiento/crisis/nueva/"
