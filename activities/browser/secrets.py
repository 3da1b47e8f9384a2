"""Secrets for the browser: resolved on the worker, typed into the page, never written anywhere.

A task names each secret by a placeholder and an environment variable of the worker
(``{"password": "env:SHOP_PASSWORD"}``); history, prompts and logs only ever hold the placeholder.
"""

from __future__ import annotations

import json
import os
from typing import Any

from models.agent import SECRET_PREFIX, placeholder
from models.errors import TaskValidationError


def resolve(refs: dict[str, str]) -> dict[str, str]:
    """placeholder text -> the real value."""
    values = {}
    for name, ref in refs.items():
        variable = ref[len(SECRET_PREFIX):]
        if not ref.startswith(SECRET_PREFIX) or not variable:
            raise TaskValidationError(f"sensitive_data[{name!r}] must be 'env:VARIABLE'")
        if variable not in os.environ:
            raise TaskValidationError(f"sensitive_data[{name!r}]: {variable} is not set in the worker's environment")
        values[placeholder(name)] = os.environ[variable]
    return values


def reveal(text: str, secrets: dict[str, str]) -> str:
    for marker, value in secrets.items():
        text = text.replace(marker, value)
    return text


def redact(data: Any, secrets: dict[str, str]) -> Any:
    """``data`` with every secret value replaced by its placeholder (pages may echo what was typed)."""
    if not secrets or data is None:
        return data
    encoded = json.dumps(data)
    for marker, value in secrets.items():
        if value:
            encoded = encoded.replace(json.dumps(value)[1:-1], marker)
    return json.loads(encoded)
