"""Custom search attributes: the one list that the dev server registers and workflows upsert."""

from temporalio.common import SearchAttributeKey

TASK_NAME = SearchAttributeKey.for_keyword("TaskName")
TASK_STATE = SearchAttributeKey.for_keyword("TaskState")
TASK_KIND = SearchAttributeKey.for_keyword("TaskKind")
TASK_PRIORITY = SearchAttributeKey.for_keyword("TaskPriority")
AGENT_ID = SearchAttributeKey.for_keyword("AgentId")
TASK_STARTED_AT = SearchAttributeKey.for_datetime("TaskStartedAt")  # picked up by a worker
TASK_RETRIES = SearchAttributeKey.for_int("TaskRetries")  # set when the task ends

ALL = (TASK_NAME, TASK_STATE, TASK_KIND, TASK_PRIORITY, AGENT_ID, TASK_STARTED_AT, TASK_RETRIES)


def cli_flags() -> list[str]:
    """``--search-attribute`` flags for ``temporal server start-dev``."""
    flags: list[str] = []
    for key in ALL:
        flags += ["--search-attribute", f"{key.name}={key.indexed_value_type.name.title()}"]
    return flags
