"""Record-level scope: who sees which subjects and processes."""

import pytest

from accompaniment.factories import ProcessFactory
from accompaniment.models import PoliticalSubject
from accompaniment.selectors.access import (
    process_get_for_user,
    processes_for_user,
    subject_get_for_user,
    subjects_for_user,
)
from aluna.core.concurrency import StaleEdit, save_versioned


def test_team_member_sees_the_subject_and_process_of_the_team(accompanier, team_process):
    assert list(subjects_for_user(user=accompanier)) == [team_process.subject]
    assert list(processes_for_user(user=accompanier)) == [team_process]


def test_other_accompanier_gets_404_for_another_teams_records(other_accompanier, team_process):
    from django.http import Http404

    with pytest.raises(Http404):
        subject_get_for_user(user=other_accompanier, subject_id=team_process.subject_id)
    with pytest.raises(Http404):
        process_get_for_user(user=other_accompanier, process_id=team_process.pk)


def test_coordinator_sees_every_subject(coordinator, team_process):
    ProcessFactory()

    assert subjects_for_user(user=coordinator).count() == 2


@pytest.mark.parametrize("who", ["admin_user", "trainer", "advocate", "outsider"])
def test_roles_outside_accompaniment_see_no_subject(request, who, team_process):
    assert subjects_for_user(user=request.getfixturevalue(who)).count() == 0


def test_accompanier_sees_a_subject_they_created_before_any_process(accompanier, db):
    from accompaniment.factories import PoliticalSubjectFactory

    subject = PoliticalSubjectFactory(created_by=accompanier)

    assert list(subjects_for_user(user=accompanier)) == [subject]


def test_a_stale_save_is_refused_and_the_current_record_returned(team_subject):
    first = PoliticalSubject.objects.get(pk=team_subject.pk)
    second = PoliticalSubject.objects.get(pk=team_subject.pk)
    first.alias = "Alias de Ana"
    save_versioned(first, expected_version=1)
    second.alias = "Alias de Beto"

    with pytest.raises(StaleEdit) as refused:
        save_versioned(second, expected_version=1)

    assert refused.value.current.alias == "Alias de Ana"
    assert PoliticalSubject.objects.get(pk=team_subject.pk).version == 2
