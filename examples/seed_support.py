"""What the seeds' examples import in place of ``from aesoperator import Task, TaskConfig``.

The seeds use a ready client named ``aesop``; here it connects on first use, as ``Aesop()``
does (localhost:7233, or the TEMPORAL_* settings), on the task queue AESOP_TASK_QUEUE names.
SITE is the bundled local site (``examples/local_site.py``) that stands in for the web.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Optional

from client import Aesop, Task, TaskConfig

SITE = os.environ.get("AESOP_EXAMPLE_SITE", "http://docs.localhost:8321")
SITE_DOMAIN = "docs.localhost"
# The same site over HTTPS, with a local CA the worker is told to trust (the ssl check needs it).
SECURE_SITE = os.environ.get("AESOP_EXAMPLE_SECURE_SITE", "https://localhost:8322")

__all__ = ["SECURE_SITE", "SITE", "SITE_DOMAIN", "Task", "TaskConfig", "aesop"]


class _DefaultAesop:
    _client: Optional[Aesop] = None
    _lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        with self._lock:
            if _DefaultAesop._client is None:
                _DefaultAesop._client = Aesop()
        return getattr(_DefaultAesop._client, name)


aesop = _DefaultAesop()
