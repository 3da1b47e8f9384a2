"""What every start of a task carries (by a client, a schedule or a parent task): its search
attributes, Temporal priority and what the web UI shows."""

from __future__ import annotations

from temporalio.common import Priority, SearchAttributePair, TypedSearchAttributes

from models import search_attributes as sa
from models.lifecycle import TaskState
from models.task import PRIORITY_KEYS, Task


def start_options(task: Task) -> dict:
    return dict(
        search_attributes=search_attributes(task),
        priority=Priority(priority_key=PRIORITY_KEYS[task.priority]),
        static_summary=f"{task.name} ({task.resolved_kind.value})",
        static_details=_details(task),
    )


def search_attributes(task: Task) -> TypedSearchAttributes:
    pairs = [
        SearchAttributePair(sa.TASK_NAME, task.name),
        SearchAttributePair(sa.TASK_STATE, TaskState.PENDING.value),
        SearchAttributePair(sa.TASK_KIND, task.resolved_kind.value),
        SearchAttributePair(sa.TASK_PRIORITY, task.priority),
    ]
    if task.agent_id:
        pairs.append(SearchAttributePair(sa.AGENT_ID, task.agent_id))
    return TypedSearchAttributes(pairs)


def _details(task: Task) -> str:
    lines = [task.description or task.name, "", "| limit | value |", "|---|---|"]
    for field, value in sorted(task.config.model_dump(exclude_unset=True).items()):
        lines.append(f"| {field} | {value} |")
    return "\n".join(lines)
