"""The playbook kind: a list of browser actions run in order, durably, with no LLM."""

from __future__ import annotations

from typing import Any, Callable, Optional

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.actions import Navigate, describe
    from models.browser import ActionOutcome, BrowserBatch, PlaybookInputs
    from models.errors import ActionFailed
    from models.run import TaskRun
    from workflows.browser_session import BrowserSession
    from workflows.playbook_takeover import Takeover

ProgressSink = Callable[[float, str], None]
MAX_BATCH_ACTIONS = 50  # per activity input; each batch also ends after its time slice


def playbook_runner(run: TaskRun, inputs: PlaybookInputs, report: ProgressSink, next_run) -> "PlaybookRunner":
    return PlaybookRunner(run, inputs, report, next_run)


class PlaybookRunner:
    duration_is_window = False
    memory: Any = None  # given by the task workflow; the agent that takes over uses them
    budget: Any = None

    def __init__(self, run: TaskRun, inputs: PlaybookInputs, report: ProgressSink, next_run):
        self.run_input, self.task, self.inputs, self._report, self._next_run = run, run.task, inputs, report, next_run
        self.takeover: Optional[Takeover] = None
        self.actions = ([Navigate(url=inputs.start_url)] if inputs.start_url else []) + list(inputs.actions)
        self.session = BrowserSession(workflow.info().workflow_id, run.task.config)
        self.outcomes: list[ActionOutcome] = []
        self.pages_used = 0
        self.url = ""

    @property
    def retry_count(self) -> int:
        return self.session.retries + (self.takeover.agent.retry_count if self.takeover else 0)

    def metrics(self) -> dict:
        if self.takeover:
            return {**self.takeover.agent.metrics(), "taken over at step": self.takeover.index}
        return {
            "actions": len(self.outcomes),
            "pages": self.pages_used,
            "artifacts": sum(len(o.artifacts) for o in self.outcomes),
            "blocked requests": sum(len(o.blocked) for o in self.outcomes),
            "workers lost": self.session.workers_lost,
        }

    def partial_result(self) -> dict:
        return self.takeover.agent.partial_result() if self.takeover else self._output()

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
            await self._run_actions()
        except ActionFailed as err:
            if self.inputs.goal is None or err.index is None:
                raise
            self.takeover = Takeover(self, err)
        finally:
            if self.takeover is None:  # else the agent goes on in this browser, and closes it
                await self.session.close()
        if self.takeover is not None:
            return await self.takeover.run()
        summary = f"{len(self.outcomes)} actions, {self.pages_used} pages, ending at {self.url}"
        return summary, self._output()

    async def _run_actions(self) -> None:
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
