"""Access to temporal-dev/devserver.py, which lives outside the packages (a hyphenated folder)."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from types import ModuleType

DEVSERVER_PATH = Path(__file__).resolve().parent.parent / "temporal-dev" / "devserver.py"


def load_devserver(fresh: bool = False) -> ModuleType:
    """The devserver module; ``fresh`` re-reads its settings (AESOP_STATE_DIR) from the environment."""
    return _load() if fresh else _cached()


@lru_cache(maxsize=1)
def _cached() -> ModuleType:
    return _load()


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("aesop_devserver", DEVSERVER_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
