import asyncio

import pytest

from client import Task, TaskConfig


@pytest.fixture(autouse=True)
async def no_context_leaks(browser_pool):
    """After every browser test, the worker holds no context of a finished task."""
    yield
    for _ in range(40):
        if browser_pool.open_contexts == 0:
            return
        await asyncio.sleep(0.05)
    pytest.fail(f"{browser_pool.open_contexts} browser contexts still open after the task ended")


def playbook(name: str, actions: list[dict], **config) -> Task:
    return Task(name=name, description=f"playbook {name}", inputs={"actions": actions}, config=TaskConfig(**config))
