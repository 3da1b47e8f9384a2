"""The data-processing kind: one activity reads the files, computes the metrics and writes the report."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from models.data_processing import PROCESS_DATA, DataInputs, DataJob, DataResult
    from workflows.activity_failures import raise_typed
    from models.run import TaskRun
    from workflows.policies import activity_retry_policy

# The time limit (max_duration_seconds) bounds the whole task; this bounds one attempt without one.
PROCESS_TIMEOUT = timedelta(hours=2)
PROCESS_HEARTBEAT = timedelta(seconds=10)


def data_runner(run: TaskRun, inputs: DataInputs, report, next_run) -> "DataRunner":
    return DataRunner(run, inputs, report)


class DataRunner:
    duration_is_window = False
    retry_count = 0  # Temporal retries the activity; attempts are in history

    def __init__(self, run: TaskRun, inputs: DataInputs, report):
        self.task, self.inputs, self._report = run.task, inputs, report
        self.result: DataResult | None = None

    def metrics(self) -> dict:
        if self.result is None:
            return {"files": len(self.inputs.data_files)}
        return {"files": len(self.inputs.data_files), "rows": self.result.rows, "skipped rows": self.result.skipped_rows,
                "peak memory (MB)": self.result.peak_memory_mb}

    def partial_result(self) -> dict | None:
        return None

    async def run(self) -> tuple[str, dict]:
        self._report(10.0, f"processing {len(self.inputs.data_files)} data files")
        job = DataJob(task_id=workflow.info().workflow_id, name=self.task.name, inputs=self.inputs,
                      max_memory_mb=self.task.config.max_memory_mb)
        try:
            self.result = await workflow.execute_activity(
                PROCESS_DATA, job, result_type=DataResult, start_to_close_timeout=PROCESS_TIMEOUT,
                heartbeat_timeout=PROCESS_HEARTBEAT, retry_policy=activity_retry_policy(self.task.config),
                summary=f"{', '.join(self.inputs.metrics)} from {len(self.inputs.data_files)} files",
            )
        except ActivityError as err:
            raise_typed(err)
        return summarise(self.result), self.result.model_dump(mode="json")


def summarise(result: DataResult) -> str:
    totals, parts = result.totals, []
    if totals.revenue is not None:
        parts.append(f"revenue {totals.revenue:,.2f} over {len(result.periods)} periods")
    if totals.growth_percent is not None:
        parts.append(f"growth {totals.growth_percent:+.1f}% from {result.periods[0].period} to {result.periods[-1].period}")
    if totals.customers is not None:
        parts.append(f"{totals.customers:,} customers")
    if totals.orders is not None:
        parts.append(f"{totals.orders:,} orders")
    return "; ".join(parts) + f" ({result.rows:,} rows, report: {result.output_format})"
