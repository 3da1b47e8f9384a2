"""The artifact store: large data outside history. A local directory by default.

``ArtifactStore`` is the interface; an object store (S3, GCS) implements the same four
methods. Workers that should pick up each other's tasks must share the store (one
machine, a shared volume, or an object store).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Optional, Protocol

from temporalio import activity

from models.artifacts import PUT_ARTIFACT, ArtifactRef, PutArtifact

ARTIFACT_DIR_ENV = "AESOP_ARTIFACT_DIR"


def _safe(part: str) -> str:
    return re.sub(r"[^\w.-]", "_", part)[:120] or "_"


class ArtifactStore(Protocol):
    def put(self, task_id: str, name: str, data: bytes, content_type: str) -> ArtifactRef: ...

    def get(self, ref: ArtifactRef) -> bytes: ...

    def save_checkpoint(self, task_id: str, state: dict[str, Any]) -> None: ...

    def load_checkpoint(self, task_id: str) -> Optional[dict[str, Any]]: ...


class LocalArtifactStore:
    """Files under ``root/<task id>/``; writes are atomic (temp file + rename)."""

    def __init__(self, root: Optional[Path] = None):
        self.root = Path(root or os.environ.get(ARTIFACT_DIR_ENV) or ".aesop/artifacts").resolve()

    def _write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, path)

    def put(self, task_id: str, name: str, data: bytes, content_type: str) -> ArtifactRef:
        digest = hashlib.sha256(data).hexdigest()
        path = self.root / _safe(task_id) / f"{digest[:12]}-{_safe(name)}"
        if not path.exists():  # same bytes, same file: a repeated action stores nothing twice
            self._write(path, data)
        return ArtifactRef(uri=path.as_uri(), name=name, content_type=content_type, size=len(data), sha256=digest)

    def get(self, ref: ArtifactRef) -> bytes:
        return ref.read_bytes()

    def _checkpoint(self, task_id: str) -> Path:
        return self.root / _safe(task_id) / "checkpoint.json"

    def save_checkpoint(self, task_id: str, state: dict[str, Any]) -> None:
        self._write(self._checkpoint(task_id), json.dumps(state).encode())

    def load_checkpoint(self, task_id: str) -> Optional[dict[str, Any]]:
        path = self._checkpoint(task_id)
        return json.loads(path.read_bytes()) if path.exists() else None


class ArtifactActivities:
    def __init__(self, store: ArtifactStore):
        self.store = store

    @activity.defn(name=PUT_ARTIFACT)
    async def put(self, request: PutArtifact) -> ArtifactRef:
        return self.store.put(request.task_id, request.name, request.text.encode(), request.content_type)
