"""The pipeline kind: steps run in order as child tasks; later steps take earlier results."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from pydantic import ValidationError

    from models.composition import PipelineInputs, SubtaskInfo, substitute
    from models.errors import AesopError, TaskValidationError
    from models.run import TaskRun
    from models.task import Task
    from workflows.subtasks import run_subtask


def pipeline_runner(run: TaskRun, inputs: PipelineInputs, report, next_run) -> "PipelineRunner":
    return PipelineRunner(run, inputs, report)


class PipelineRunner:
    duration_is_window = False
    retry_count = 0  # each step retries by its own config

    def __init__(self, run: TaskRun, inputs: PipelineInputs, report):
        self.task, self.inputs, self._report, self.parent_run = run.task, inputs, report, run
        self.subtasks: list[SubtaskInfo] = []

    def metrics(self) -> dict:
        done = [s for s in self.subtasks if s.state.value == "completed"]
        return {"steps": len(self.inputs.steps), "steps completed": len(done), "steps failed": len(self.subtasks) - len(done)}

    def partial_result(self) -> dict:
        return {"subtasks": [s.model_dump(mode="json") for s in self.subtasks]}

    async def run(self) -> tuple[str, dict]:
        results: dict[str, dict] = {}
        last: dict = {}
        for index, step in enumerate(self.inputs.steps):
            name = step.task.name
            self._report(100.0 * index / len(self.inputs.steps), f"step {index + 1}/{len(self.inputs.steps)}: {name}")
            try:
                task = self._with_results(step.task, results)
                result = await run_subtask(task, self.parent_run, self.subtasks.append)
            except AesopError as err:
                if step.on_error == "fail":
                    raise type(err)(f"step {name!r} failed: {err}") from None
                results[name] = {"error": str(err), "error_type": type(err).__name__}
                continue
            results[name] = last = {"task_id": result.task_id, "summary": result.summary, **result.output}
        summary = " → ".join(f"{s.name}: {s.state.value}" for s in self.subtasks)
        final = next((s for s in reversed(self.subtasks) if s.state.value == "completed"), None)
        return (final.summary if final else summary), {
            "subtasks": [s.model_dump(mode="json") for s in self.subtasks],
            "result": {k: v for k, v in last.items() if k != "task_id"},
        }

    def _with_results(self, task: Task, results: dict[str, dict]) -> Task:
        try:
            inputs = substitute(task.inputs, results)
            return Task.model_validate({**task.model_dump(exclude_unset=True), "inputs": inputs})
        except LookupError as err:
            raise TaskValidationError(f"step {task.name!r}: {err}") from None
        except ValidationError as err:
            raise TaskValidationError(f"step {task.name!r} with earlier results filled in is invalid: {err}") from None
