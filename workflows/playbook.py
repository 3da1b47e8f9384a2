"""The playbook kind: a list of browser actions run in order, durably, with no LLM."""

from __future__ import annotations

from typing import Any, Callable

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.actions import Navigate, describe
    from models.browser import ActionOutcome, BrowserBatch, PlaybookInputs
    from models.run import TaskRun
    from workflows.browser_session import BrowserSession

ProgressSink = Callable[[float, str], None]
MAX_BATCH_ACTIONS = 50  # per activity input; each batch also ends after its time slice


def playbook_runner(run: TaskRun, inputs: PlaybookInputs, report: ProgressSink, next_run) -> "PlaybookRunner":
    return PlaybookRunner(run, inputs, report)


class PlaybookRunner:
    duration_is_window = False

    def __init__(self, run: TaskRun, inputs: PlaybookInputs, report: ProgressSink):
        self.task, self.inputs, self._report = run.task, inputs, report
        self.actions = ([Navigate(url=inputs.start_url)] if inputs.start_url else []) + list(inputs.actions)
        self.session = BrowserSession(workflow.info().workflow_id, run.task.config)
        self.outcomes: list[ActionOutcome] = []
        self.pages_used = 0
        self.url = ""

    @property
    def retry_count(self) -> int:
        return self.session.retries

    def metrics(self) -> dict:
        return {
            "actions": len(self.outcomes),
            "pages": self.pages_used,
            "artifacts": sum(len(o.artifacts) for o in self.outcomes),
            "blocked requests": sum(len(o.blocked) for o in self.outcomes),
            "workers lost": self.session.workers_lost,
        }

    def partial_result(self) -> dict:
        return self._output()

    def _output(self) -> dict[str, Any]:
        return {
            "outcomes": [o.model_dump(mode="json") for o in self.outcomes],
            "extracted": [o.data for o in self.outcomes if o.action == "extract"],
            "artifacts": [ref.model_dump(mode="json") for o in self.outcomes for ref in o.artifacts],
            "pages": self.pages_used,
            "url": self.url,
            "workers_lost": self.session.workers_lost,
        }

    async def run(self) -> tuple[str, dict]:
        try:
            while len(self.outcomes) < len(self.actions):
                index = len(self.outcomes)
                self._report(100.0 * index / len(self.actions), describe(self.actions[index]))
                batch = BrowserBatch(
                    task_id=self.session.task_id, config=self.task.config,
                    actions=self.actions[index : index + MAX_BATCH_ACTIONS],
                    start=index, pages_used=self.pages_used, files=self.inputs.files, secrets=self.inputs.sensitive_data,
                    close_at_end=index + MAX_BATCH_ACTIONS >= len(self.actions),
                )
                result = await self.session.run(batch, summary=f"actions from {index}: {describe(self.actions[index])}")
                self.outcomes.extend(result.outcomes)
                self.pages_used, self.url = result.pages_used, result.url
        finally:
            await self.session.close()
        summary = f"{len(self.outcomes)} actions, {self.pages_used} pages, ending at {self.url}"
        return summary, self._output()
