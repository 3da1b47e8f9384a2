"""Users' own functions as agent tools: typed parameters, schema from the type hints, docstring
as description. Each runs as its own activity (``tool.<name>``) with its own retry policy.

    from client import tool

    @tool
    def lookup_price(sku: str, currency: str = "EUR") -> float:
        \"\"\"The current price of a product.\"\"\"
"""

from __future__ import annotations

import asyncio
import inspect
from dataclasses import dataclass
from typing import Any, Callable, Optional

from pydantic import ConfigDict, ValidationError, create_model
from temporalio import activity
from temporalio.exceptions import ApplicationError

from models.agent import DESCRIBE_TOOLS, TOOL_ACTIVITY_PREFIX
from models.errors import TaskValidationError
from models.llm import ToolSpec


@dataclass(frozen=True)
class RegisteredTool:
    name: str
    fn: Callable[..., Any]
    spec: ToolSpec


REGISTRY: dict[str, RegisteredTool] = {}


def tool(fn: Optional[Callable] = None, *, name: Optional[str] = None, max_attempts: int = 3):
    """Register ``fn`` as a tool the agent may call (when a task lists it in inputs.tools)."""

    def register(func: Callable) -> Callable:
        tool_name = name or func.__name__
        fields = {
            p.name: (p.annotation if p.annotation is not inspect.Parameter.empty else Any, ... if p.default is inspect.Parameter.empty else p.default)
            for p in inspect.signature(func).parameters.values()
        }
        model = create_model(f"{tool_name}_arguments", __config__=ConfigDict(extra="forbid"), **fields)
        description = inspect.getdoc(func) or tool_name
        spec = ToolSpec(name=tool_name, description=description, parameters=model.model_json_schema(), max_attempts=max_attempts)
        REGISTRY[tool_name] = RegisteredTool(tool_name, func, spec)
        func.arguments_model = model  # type: ignore[attr-defined]
        return func

    return register(fn) if fn else register


def _tool_activity(registered: RegisteredTool):
    model = registered.fn.arguments_model  # type: ignore[attr-defined]

    @activity.defn(name=TOOL_ACTIVITY_PREFIX + registered.name)
    async def run(arguments: dict) -> Any:
        try:
            parsed = model.model_validate(arguments)
        except ValidationError as err:
            raise ApplicationError(f"bad arguments for {registered.name}: {err}", type="ToolArgumentsInvalid", non_retryable=True) from None
        kwargs = dict(parsed)
        if inspect.iscoroutinefunction(registered.fn):
            return await registered.fn(**kwargs)
        return await asyncio.to_thread(registered.fn, **kwargs)

    return run


@activity.defn(name=DESCRIBE_TOOLS)
async def describe_tools(names: list[str]) -> list[ToolSpec]:
    unknown = sorted(set(names) - set(REGISTRY))
    if unknown:
        raise ApplicationError(
            f"tools {unknown} are not registered on this worker (registered: {sorted(REGISTRY)})",
            type=TaskValidationError.__name__, non_retryable=True,
        )
    return [REGISTRY[name].spec for name in names]


def tool_activities() -> list[Callable]:
    return [describe_tools, *(_tool_activity(t) for t in REGISTRY.values())]
