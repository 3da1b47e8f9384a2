"""References to large data (pages, screenshots, downloads) kept outside workflow history."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict


PUT_ARTIFACT = "put_artifact"


class PutArtifact(BaseModel):
    """A small document a workflow wants kept as an artifact (a recorded playbook)."""

    task_id: str
    name: str
    content_type: str = "application/json"
    text: str


class ArtifactRef(BaseModel):
    """What history holds instead of the bytes: where they are, what they are and their digest."""

    model_config = ConfigDict(frozen=True)

    uri: str
    name: str
    content_type: str
    size: int
    sha256: str

    @property
    def path(self) -> Path:
        """The local file, for the directory store (``file://`` URIs)."""
        parts = urlsplit(self.uri)
        if parts.scheme != "file":
            raise ValueError(f"{self.uri} is not in a local directory store")
        return Path(unquote(parts.path))

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()
