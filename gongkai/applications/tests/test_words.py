"""Words for people: states and statuses read in Chinese, and in English in English mode."""

from __future__ import annotations

from django.utils import translation

from gongkai.applications.choices import Status
from gongkai.applications.deadlines import STATE_LABELS
from gongkai.workcalendar.clock import DeadlineState


def test_every_deadline_state_has_a_label_in_both_languages():
    assert set(STATE_LABELS) == set(DeadlineState)
    for state, label in STATE_LABELS.items():
        with translation.override("zh-hans"):
            chinese = str(label)
        with translation.override("en"):
            english = str(label)
        assert chinese != state.value and not chinese.isascii(), state
        assert english.isascii() and english != chinese, state


def test_case_statuses_and_their_option_list_follow_the_language():
    with translation.override("en"):
        options = [str(label) for _, label in Status.choices]
    with translation.override("zh-hans"):
        chinese = [str(label) for _, label in Status.choices]
    assert all(o.isascii() for o in options), options
    assert not any(c.isascii() for c in chinese), chinese
    with translation.override("en"):
        assert str(Status.HANDLING.label) == "Being handled"
