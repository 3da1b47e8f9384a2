import pytest

from models.lifecycle import InvalidTransition, TaskState, transition


@pytest.mark.parametrize(
    "current, new",
    [("pending", "running"), ("running", "completed"), ("running", "failed"), ("running", "cancelled"), ("pending", "cancelled"),
     ("running", "paused"), ("paused", "running"), ("paused", "cancelled"), ("paused", "failed")],
)
def test_allowed_transitions(current, new):
    assert transition(TaskState(current), TaskState(new)) == TaskState(new)


@pytest.mark.parametrize(
    "current, new",
    [("completed", "running"), ("failed", "completed"), ("cancelled", "running"), ("pending", "completed"), ("running", "pending"), ("paused", "completed"), ("pending", "paused")],
)
def test_forbidden_transitions(current, new):
    with pytest.raises(InvalidTransition, match=f"from {current} to {new}"):
        transition(TaskState(current), TaskState(new))
