"""The process_data activity: the pandas work runs in a child process bounded by max_memory_mb."""

from __future__ import annotations

import asyncio
import json
import os
import resource
import signal
import sys
import tempfile
from pathlib import Path
from typing import Optional, Union

from temporalio import activity

from activities.artifacts import ArtifactStore
from activities.data.child import EXIT_DATA, EXIT_MEMORY
from activities.heartbeat import with_heartbeats
from models.artifacts import ArtifactRef
from models.data_processing import CONTENT_TYPES, PROCESS_DATA, SUFFIXES, DataJob, DataResult
from models.errors import DataProcessingError, MemoryLimitExceeded, UnsupportedConfigError
from models.failures import as_failure

DATA_DIR_ENV = "AESOP_DATA_DIR"
# One thread per numeric library: each thread reserves address space that the limit would count.
CHILD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _memory_limit(max_mb: Optional[int]):
    if max_mb is None:
        return None
    if not sys.platform.startswith("linux"):
        raise as_failure(UnsupportedConfigError(
            f"max_memory_mb is enforced on Linux workers only; this worker runs on {sys.platform}"))
    limit = max_mb * 1024 * 1024

    def apply() -> None:  # runs in the child between fork and exec
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


class DataActivities:
    def __init__(self, store: ArtifactStore, data_dir: Optional[Path] = None):
        self.store = store
        self.data_dir = Path(data_dir or os.environ.get(DATA_DIR_ENV) or ".").resolve()

    def _local_path(self, item: Union[ArtifactRef, str]) -> Path:
        if isinstance(item, ArtifactRef):
            try:
                return item.path
            except ValueError as err:
                raise as_failure(DataProcessingError(f"data file {item.name}: {err}")) from None
        path = self.data_dir / Path(item).expanduser()
        if not path.is_file():
            raise as_failure(DataProcessingError(
                f"data file {item!r} was not found on the worker (looked at {path}; "
                f"relative paths start at {DATA_DIR_ENV}, else the worker's working directory)"))
        return path

    @activity.defn(name=PROCESS_DATA)
    async def process(self, job: DataJob) -> DataResult:
        paths = [self._local_path(item) for item in job.inputs.data_files]
        names: list[str] = []
        for path in paths:  # a period is named by its file; the same name twice gets a number
            stem = path.stem
            names.append(stem if stem not in names else f"{stem} ({len(names) + 1})")
        fmt = job.inputs.output_format
        with tempfile.TemporaryDirectory(prefix="aesop-data-") as tmp:
            out = Path(tmp) / f"report{SUFFIXES[fmt]}"
            request = {"inputs": job.inputs.model_dump(mode="json"), "files": [[n, str(p)] for n, p in zip(names, paths)],
                       "out": str(out), "title": job.name}
            code, stdout, stderr = await with_heartbeats(self._run_child(request, job.max_memory_mb))
            if code == EXIT_MEMORY or (code < 0 and job.max_memory_mb is not None) or b"MemoryError" in stderr:
                raise as_failure(MemoryLimitExceeded(
                    f"processing the data needed more than max_memory_mb={job.max_memory_mb} MB; "
                    "raise the limit or pass fewer or smaller files"))
            if code == EXIT_DATA:
                raise as_failure(DataProcessingError(json.loads(stdout)["error"]))
            if code != 0:
                raise RuntimeError(f"the data-processing process exited with {code}: {stderr.decode()[-2000:]}")
            result = DataResult.model_validate_json(stdout)
            result.report = self.store.put(job.task_id, f"{job.name}{SUFFIXES[fmt]}", out.read_bytes(), CONTENT_TYPES[fmt])
        return result

    async def _run_child(self, request: dict, max_mb: Optional[int]) -> tuple[int, bytes, bytes]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "activities.data.child",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            env={**os.environ, **CHILD_ENV}, preexec_fn=_memory_limit(max_mb),
            cwd=Path(__file__).resolve().parents[2],  # where `activities` and `models` import from
        )
        try:
            stdout, stderr = await process.communicate(json.dumps(request).encode())
        except asyncio.CancelledError:
            process.send_signal(signal.SIGKILL)
            await process.wait()
            raise
        return process.returncode, stdout, stderr
