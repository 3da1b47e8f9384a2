"""Custom search attributes: the one list that the dev server registers and workflows upsert."""

from temporalio.common import SearchAttributeKey

TASK_NAME = SearchAttributeKey.for_keyword("TaskName")
TASK_STATE = SearchAttributeKey.for_keyword("TaskState")
TASK_KIND = SearchAttributeKey.for_keyword("TaskKind")

ALL = (TASK_NAME, TASK_STATE, TASK_KIND)


def cli_flags() -> list[str]:
    """``--search-attribute`` flags for ``temporal server start-dev``."""
    flags: list[str] = []
    for key in ALL:
        flags += ["--search-attribute", f"{key.name}={key.indexed_value_type.name.title()}"]
    return flags
