"""The public API: ``from client import Aesop, Task, TaskConfig``."""

from client.aesop import AsyncAesop, AsyncTaskExecution
from client.sync import Aesop, TaskExecution
from activities.tools import tool  # the agent's function tools are registered where the worker runs
from models import *  # noqa: F403 - the shared types are part of the public API
from models import __all__ as _models_all

__all__ = ["Aesop", "AsyncAesop", "AsyncTaskExecution", "TaskExecution", "tool", *_models_all]
