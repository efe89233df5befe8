"""The pure gesture classifier: press / hold / long hold from edge timestamps."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from device.gestures import GestureClassifier
from device.inputs import ButtonEdge, Gesture
from routines.state import ButtonFeedback


def gesture_for(held_seconds: float) -> Gesture | None:
    classifier = GestureClassifier(hold_seconds=1.0, long_hold_seconds=3.0)
    classifier.down(100.0)
    return classifier.up(100.0 + held_seconds)


@pytest.mark.parametrize(
    ("held_seconds", "expected"),
    [
        (0.1, Gesture.PRESS),
        (0.99, Gesture.PRESS),
        (1.0, Gesture.HOLD),
        (2.99, Gesture.HOLD),
        (3.0, Gesture.LONG_HOLD),
        (30.0, Gesture.LONG_HOLD),
    ],
)
def test_gesture_is_decided_by_how_long_the_button_was_down(held_seconds, expected):
    assert gesture_for(held_seconds) is expected


def test_thresholds_come_from_the_constructor():
    classifier = GestureClassifier(hold_seconds=0.5, long_hold_seconds=2.0)
    classifier.down(0.0)
    assert classifier.up(0.6) is Gesture.HOLD


def test_nothing_is_decided_until_release():
    classifier = GestureClassifier()
    classifier.down(0.0)
    assert classifier.is_down
    assert classifier.up(5.0) is Gesture.LONG_HOLD
    assert not classifier.is_down


def test_up_without_down_is_ignored():
    classifier = GestureClassifier()
    assert classifier.up(1.0) is None
    assert not classifier.is_down


def test_second_down_restarts_the_gesture_from_the_new_down():
    classifier = GestureClassifier()
    classifier.down(0.0)
    classifier.down(10.0)  # the release in between was lost
    assert classifier.up(10.2) is Gesture.PRESS


def test_glitch_shorter_than_debounce_is_ignored():
    classifier = GestureClassifier(debounce_seconds=0.05)
    classifier.down(1.0)
    assert classifier.up(1.01) is None
    assert not classifier.is_down


def test_bounce_right_after_release_is_ignored():
    classifier = GestureClassifier(debounce_seconds=0.05)
    classifier.down(0.0)
    assert classifier.up(0.4) is Gesture.PRESS
    classifier.down(0.42)  # contact bounce on release
    assert not classifier.is_down
    assert classifier.up(0.43) is None
    classifier.down(1.1)  # a real second press, too late to pair with the first
    assert classifier.up(1.3) is Gesture.PRESS


def test_edge_feeds_button_edges_from_the_queue():
    classifier = GestureClassifier()
    assert classifier.edge(ButtonEdge(pressed=True, at=2.0)) is None
    assert classifier.edge(ButtonEdge(pressed=False, at=3.5)) is Gesture.HOLD


def test_feedback_while_held():
    classifier = GestureClassifier(hold_seconds=1.0, long_hold_seconds=3.0)
    assert classifier.feedback(0.0) == ""
    classifier.down(10.0)
    assert classifier.feedback(10.5) == ""
    assert classifier.feedback(11.0) == "hold"
    assert classifier.feedback(12.9) == "hold"
    assert classifier.feedback(13.0) == "stop"
    classifier.up(13.5)
    assert classifier.feedback(13.5) == ""


def test_next_change_is_when_feedback_changes():
    classifier = GestureClassifier(hold_seconds=1.0, long_hold_seconds=3.0)
    assert classifier.next_change(0.0) is None
    classifier.down(10.0)
    assert classifier.next_change(10.2) == 11.0
    assert classifier.next_change(11.0) == 13.0
    assert classifier.next_change(13.0) is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"hold_seconds": 0},
        {"hold_seconds": 2.0, "long_hold_seconds": 1.0},
        {"debounce_seconds": -0.1},
        {"debounce_seconds": 1.0},
    ],
)
def test_bad_thresholds_are_refused_with_a_clear_message(kwargs):
    with pytest.raises(ValueError, match="^button/[a-z_]+: must "):
        GestureClassifier(**kwargs)


edges = st.lists(
    st.tuples(st.booleans(), st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)),
    max_size=40,
)


@given(edges)
def test_any_sequence_of_edges_never_raises_nor_invents_a_gesture(sequence):
    classifier = GestureClassifier()
    down_pending = False
    for pressed, at in sequence:
        if pressed:
            classifier.down(at)
            down_pending = down_pending or classifier.is_down
        else:
            gesture = classifier.up(at)
            if gesture is not None:
                assert down_pending, "a gesture without a preceding down"
                assert isinstance(gesture, Gesture)
            down_pending = False
        assert classifier.feedback(at) in set(ButtonFeedback)
        change = classifier.next_change(at)
        assert change is None or change > at


def test_a_press_soon_after_a_press_is_a_double_press_and_a_third_starts_again():
    classifier = GestureClassifier(double_press_seconds=0.6)
    times = iter([(0.0, 0.1), (0.3, 0.4), (0.6, 0.7), (1.6, 1.7)])
    gestures = []
    for down, up in times:
        classifier.down(down)
        gestures.append(classifier.up(up))
    assert gestures == [Gesture.PRESS, Gesture.DOUBLE_PRESS, Gesture.PRESS, Gesture.PRESS]


def test_a_hold_between_presses_breaks_the_pair_and_whole_gestures_pair_too():
    classifier = GestureClassifier(double_press_seconds=0.6)
    assert classifier.whole(Gesture.PRESS, 0.0) is Gesture.PRESS
    assert classifier.whole(Gesture.HOLD, 0.2) is Gesture.HOLD
    assert classifier.whole(Gesture.PRESS, 0.4) is Gesture.PRESS  # the keyboard's whole gestures
    assert classifier.whole(Gesture.PRESS, 0.9) is Gesture.DOUBLE_PRESS
