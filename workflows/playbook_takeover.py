"""When a playbook step no longer works: an agent takes over from that step, on the same page,
with the playbook's goal, and the run's result carries the repaired playbook."""

from __future__ import annotations

from typing import TYPE_CHECKING

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.errors import ActionFailed, LLMNotConfigured
    from models.kinds import TaskKind
    from models.validation import validate_for_kind
    from workflows.agent import AgentRunner

if TYPE_CHECKING:
    from workflows.playbook import PlaybookRunner


class Takeover:
    def __init__(self, playbook: "PlaybookRunner", failure: ActionFailed):
        self.index, self.failure = failure.index or 0, failure
        inputs = playbook.inputs
        # Continued runs are the agent's: its task, with the limits in force when it continues.
        self.task = playbook.task.model_copy(update={
            "kind": TaskKind.AGENT, "description": inputs.goal, "inputs": {"sensitive_data": inputs.sensitive_data},
        })
        run = playbook.run_input.model_copy(update={"task": self.task})
        agent = AgentRunner(run, validate_for_kind(self.task), playbook._report, self._next_run)
        self._playbook_next_run = playbook._next_run
        agent.memory, agent.budget = playbook.memory, playbook.budget
        agent.session.queue = playbook.session.queue  # the page where the step failed
        agent.actions_run, agent.pages_used = self.index, playbook.pages_used
        agent.recorded = list(playbook.actions[: self.index])  # the steps that still work open the repaired playbook
        agent.notes = [f"A recorded playbook for this goal did {self.index} steps, then failed; carry on from the "
                       f"current page and finish the goal. The failure: {failure}"]
        self.agent = agent

    def _next_run(self, state):
        run = self._playbook_next_run(state)
        return run.model_copy(update={"task": self.task.model_copy(update={"config": run.task.config})})

    async def run(self) -> tuple[str, dict]:
        try:
            summary, output = await self.agent.run()
        except LLMNotConfigured as err:
            raise ActionFailed(f"{self.failure}; no agent could take over: {err}", self.index) from None
        return (f"step {self.index} no longer worked; an agent took over: {summary}",
                {**output, "taken_over_at": self.index, "failed_step": str(self.failure)})
