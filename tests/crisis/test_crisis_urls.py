from django.urls import reverse


def test_crisis_pages_have_no_name_in_their_urls():
    assert reverse("accompaniment:crisis-board") == "/acompanamiento/crisis/"
    assert reverse("accompaniment:crisis-create") == "/acompanamiento/crisis/nueva/"
