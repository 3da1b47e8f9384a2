"""The agent kind: the model proposes, the workflow checks (policy, budget, loops), activities act."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import timedelta
from typing import Any, Optional

from pydantic import ValidationError
from temporalio import workflow
from temporalio.workflow import ContinueAsNewError
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from workflows.history import history_full
    import jsonschema

    from models.access_policy import check_url
    from models.actions import ACTION_TYPES, ACTIONS, Navigate, OpenTab, describe
    from models.artifacts import PUT_ARTIFACT, ArtifactRef, PutArtifact
    from models.approval import Decision, PendingApproval
    from models.agent import DESCRIBE_TOOLS, TOOL_ACTIVITY_PREFIX, AgentInputs, AgentState
    from models.browser import BrowserBatch
    from models.budget import describe as describe_ledger
    from models.errors import ActionFailed, AesopError, AgentLoop, PolicyViolation
    from models.llm import LLMRequest, Message, ToolCall, ToolSpec
    from models.run import TaskRun
    from workflows.agent_prompt import (
        FINISH, RECALL, REMEMBER, SUBTASK, TURNS_KEPT, browser_tools, finish_tool, memory_tools, prompt, shown,
        subtask_tool, system_message, task_message,
    )
    from models.composition import subtask_config
    from models.task import Task
    from workflows.subtasks import run_subtask
    from workflows.browser_session import BrowserSession
    from workflows.llm_call import call_llm

LOOP_NUDGE, LOOP_FAIL = 3, 5  # the same actions on an unchanged page: a nudge, then failure
TOOL_TIMEOUT = timedelta(minutes=5)
DESCRIBE_TIMEOUT = timedelta(seconds=30)


def agent_runner(run: TaskRun, inputs: AgentInputs, report, next_run) -> "AgentRunner":
    return AgentRunner(run, inputs, report, next_run)


class AgentRunner:
    duration_is_window = False
    memory: Any = None  # the task's TaskMemory, given by the task workflow
    budget: Any = None  # the task's TaskBudget, given by the task workflow

    def __init__(self, run: TaskRun, inputs: AgentInputs, report, next_run):
        self.task, self.inputs, self._report, self._next_run = run.task, inputs, report, next_run
        self.engine = run.engine
        state = run.agent_state or AgentState(started_at=workflow.now())
        self.session = BrowserSession(workflow.info().workflow_id, run.task.config)
        self.session.queue, self.session.retries, self.session.workers_lost = state.session_queue, state.retries, state.workers_lost
        self.started_at, self.runs = state.started_at, state.runs
        self.ledger = state.ledger
        self.turns, self.notes, self.view = state.turns, state.notes, state.view
        self.steps, self.actions_run, self.pages_used = state.steps, state.actions_run, state.pages_used
        self.refused = state.refused
        self.repeats: Counter[str] = Counter(state.repeats)
        self.user_tools = state.user_tools
        self.recorded: list = list(state.recorded)  # the actions that worked, with lasting selectors: the playbook
        self.pending_approval: Optional[PendingApproval] = None
        self._decision: Optional[Decision] = None
        self.approvals = state.approvals
        self.subtasks = state.subtasks
        self.run_input = run
        self.resumed = run.agent_state is not None

    def _carry_over(self) -> AgentState:
        return AgentState(
            started_at=self.started_at, runs=self.runs + 1, steps=self.steps, actions_run=self.actions_run,
            pages_used=self.pages_used, ledger=self.ledger, turns=self.turns[-TURNS_KEPT:], notes=self.notes, view=self.view,
            refused=self.refused, recorded=self.recorded, repeats=dict(self.repeats), user_tools=self.user_tools,
            session_queue=self.session.queue, retries=self.session.retries, workers_lost=self.session.workers_lost,
            approvals=self.approvals, subtasks=self.subtasks,
        )

    def _history_full(self) -> bool:
        return history_full(self.engine.history_events_per_run)

    @property
    def retry_count(self) -> int:
        return self.session.retries

    def metrics(self) -> dict:
        return {"steps": self.steps, "actions": self.actions_run, "pages": self.pages_used, "LLM calls": self.ledger.llm_calls,
                "tokens": self.ledger.tokens, "cost (USD)": self.ledger.cost_usd, "refused": len(self.refused)}

    def partial_result(self) -> dict:
        return {"steps": self.steps, "ledger": self.ledger.model_dump(), "url": self.view.url if self.view else "", "refused": self.refused}

    async def run(self) -> tuple[str, dict]:
        if self.inputs.tools and not self.resumed:
            specs = await workflow.execute_activity(
                DESCRIBE_TOOLS, self.inputs.tools, result_type=list[ToolSpec], start_to_close_timeout=DESCRIBE_TIMEOUT
            )
            self.user_tools = {spec.name: spec for spec in specs}
        tools = [*browser_tools(), *self.user_tools.values(), *memory_tools(self.task.memory_scope), subtask_tool(),
                 finish_tool(self.inputs.output_schema)]
        system, goal = system_message(), task_message(self.task, self.inputs)
        try:
            if not self.resumed:
                await self._browse([Navigate(url=self.inputs.start_url)] if self.inputs.start_url else [], [])
            while self.steps < self.inputs.max_steps:
                if self._history_full():  # the context stays open on its worker for the next run
                    workflow.continue_as_new(self._next_run(self._carry_over()))
                self.steps += 1
                self._report(100.0 * self.steps / self.inputs.max_steps, f"step {self.steps}: asking the model")
                reply = await call_llm(
                    LLMRequest(messages=prompt(system, goal, self.turns, self.view, self.notes), tools=tools),
                    self.budget, self.ledger, summary=f"step {self.steps}",
                )
                self.notes = []
                finished = await self._act(reply.content, reply.tool_calls)
                if finished is not None:
                    await self.session.close()
                    return finished
        except ContinueAsNewError:
            raise
        except BaseException:
            await self.session.close()
            raise
        await self.session.close()
        raise AgentLoop(f"no finish after max_steps={self.inputs.max_steps} steps ({describe_ledger(self.ledger)})")

    async def _act(self, content: Optional[str], calls: list[ToolCall]) -> Optional[tuple[str, dict]]:
        """Carry out one reply; the (summary, output) when the model finished."""
        turn = [Message(role="assistant", content=content, tool_calls=calls)]
        self.turns.append(turn)
        if not calls:
            self.notes.append("Call a tool: a browser action, a function, or finish.")
            return None
        fingerprint = self.view.fingerprint if self.view else ""
        actions, action_calls = [], []
        for call in calls:
            if call.name == FINISH:
                finished = self._finish(call, turn)
                if finished is not None:
                    return await self._with_playbook(*finished)
                continue
            try:
                arguments = json.loads(call.arguments or "{}")
            except json.JSONDecodeError as err:
                turn.append(_tool_reply(call, f"error: arguments are not JSON ({err})"))
                continue
            if call.name in ACTION_TYPES:
                refusal = self._check_action(call.name, arguments)
                if isinstance(refusal, str):
                    turn.append(_tool_reply(call, refusal))
                elif self._needs_approval(call.name, getattr(refusal, "selector", None)):
                    # Risky: what came before runs first, then this waits for a person, alone.
                    for done_call, outcome in zip(action_calls, await self._browse(actions, action_calls)):
                        turn.append(_tool_reply(done_call, outcome))
                    actions, action_calls = [], []
                    turn.append(_tool_reply(call, await self._approved_action(refusal)))
                else:
                    actions.append(refusal)
                    action_calls.append(call)
            elif call.name in (REMEMBER, RECALL):
                turn.append(_tool_reply(call, await self._use_memory(call.name, arguments)))
            elif call.name == SUBTASK:
                if self._needs_approval(call.name, None) and not await self._wait_for_approval(f"{call.name}({call.arguments})"):
                    turn.append(_tool_reply(call, self._rejection()))
                else:
                    turn.append(_tool_reply(call, await self._run_subtask(arguments)))
            elif call.name in self.user_tools:
                if self._needs_approval(call.name, None) and not await self._wait_for_approval(f"{call.name}({call.arguments})"):
                    turn.append(_tool_reply(call, self._rejection()))
                else:
                    turn.append(_tool_reply(call, await self._call_function(call.name, arguments)))
            else:
                turn.append(_tool_reply(call, f"error: there is no tool {call.name!r}"))
        if actions:
            for call, outcome in zip(action_calls, await self._browse(actions, action_calls)):
                turn.append(_tool_reply(call, outcome))
        self._watch_for_loops(actions, fingerprint)
        return None

    async def _use_memory(self, name: str, arguments: dict) -> str:
        key = arguments.get("key")
        try:
            if name == REMEMBER:
                if not isinstance(key, str) or not key or "value" not in arguments:
                    return "error: remember needs a key (non-empty string) and a value"
                version = await self.memory.set(key, arguments["value"])
                return f"remembered {key!r} (version {version})"
            if not key:
                return "keys in memory: " + json.dumps(await self.memory.keys())
            entry = await self.memory.get(str(key))
            if entry is None:
                return f"nothing is stored under {key!r}"
            return shown(json.dumps(entry.value))
        except (ValueError, AesopError) as err:  # too large, memory full: the model can do with less
            return f"error: {err}"

    async def _run_subtask(self, arguments: dict) -> str:
        """A child task under this task's policy and remaining budget; its spending joins the ledger."""
        try:
            task = Task(name=arguments.get("name") or "subtask", description=arguments.get("description") or "",
                        inputs=arguments.get("inputs") or {}, memory_scope=self.task.memory_scope,
                        priority=self.task.priority, agent_id=self.task.agent_id)
            task = task.model_copy(update={"config": subtask_config(self.budget.config, task.resolved_kind, self.ledger)})
        except (ValidationError, AesopError) as err:
            return f"error: the subtask is invalid: {err}"
        started = len(self.subtasks)
        try:
            result = await run_subtask(task, self.run_input, self.subtasks.append)
        except AesopError as err:  # the model may handle a failed subtask
            return f"error: {type(err).__name__}: {err}"
        finally:  # a failed child's calls were paid for too
            for info in self.subtasks[started:]:
                if info.spent is not None:
                    self.ledger.absorb(info.spent)
        output = dict(result.output)
        output.pop("ledger", None)
        return shown(json.dumps({"task_id": result.task_id, "summary": result.summary, "output": output}, default=str))

    def _check_action(self, name: str, arguments: dict) -> Any:
        """The parsed action, or why it is refused (malformed, or off the access policy)."""
        try:
            action = ACTIONS.validate_python({**arguments, "action": name})
        except ValidationError as err:
            return f"error: invalid arguments for {name}: {err.errors()[0]['msg']} at {err.errors()[0]['loc']}"
        if isinstance(action, (Navigate, OpenTab)) and action.url:
            try:
                check_url(action.url, self.task.config)
            except PolicyViolation as err:
                self.refused.append(str(err))
                return f"refused by the task's access policy: {err}"
        return action

    async def _browse(self, actions: list, calls: list, at_most_once: bool = False) -> list[str]:
        """Run the actions in one batch and look at the page after; one line per action."""
        start, self.actions_run = self.actions_run, self.actions_run + len(actions)
        batch = BrowserBatch(
            task_id=self.session.task_id, config=self.task.config, actions=actions, start=start, pages_used=self.pages_used,
            observe_chars=self.inputs.page_text_chars, observe_screenshot=self.inputs.screenshots, secrets=self.inputs.sensitive_data,
        )
        label = describe(actions[0]) if actions else "look at the page"
        try:
            result = await self.session.run(batch, summary=label, at_most_once=at_most_once)
        except (ActionFailed, PolicyViolation) as err:
            if not actions:  # not even a look at the page works
                raise
            if isinstance(err, PolicyViolation):
                self.refused.append(str(err))
            await self._browse([], [])  # see where it left the page
            return [f"not done: {type(err).__name__}: {err}" for _ in calls]
        self.pages_used, self.view = result.pages_used, result.view
        self.recorded += [a.model_copy(update={"selector": o.selector}) if o.selector else a for a, o in zip(actions, result.outcomes)]
        lines = []
        for outcome in result.outcomes:
            line = f"done; now at {outcome.url}"
            if outcome.data is not None:
                line += f"; data: {json.dumps(outcome.data)[:2000]}"
            if outcome.blocked:
                line += f"; requests refused by policy: {outcome.blocked}"
            lines.append(line)
        return lines

    def _needs_approval(self, name: str, selector: Optional[str]) -> bool:
        policy = self.inputs.require_approval
        return policy is not None and policy.needs_approval(name, selector)

    async def _wait_for_approval(self, proposal: str) -> bool:
        """Wait (durably: a condition and a timer in history) for aesop.approve / aesop.reject."""
        policy = self.inputs.require_approval
        self.approvals += 1
        self.pending_approval = PendingApproval(id=f"{workflow.info().workflow_id}-{self.approvals}", step=self.steps, proposal=proposal)
        self._decision = None
        self._report(100.0 * self.steps / self.inputs.max_steps, f"waiting for approval: {proposal}")
        try:
            await workflow.wait_condition(
                lambda: self._decision is not None, timeout=policy.timeout_seconds, timeout_summary="approval timeout"
            )
        except asyncio.TimeoutError:
            self._decision = Decision(approved=False, note=f"no decision within {policy.timeout_seconds:g} s")
        finally:
            self.pending_approval = None
        return self._decision.approved

    def _rejection(self) -> str:
        note = f": {self._decision.note}" if self._decision and self._decision.note else ""
        return f"not done: a person did not approve it{note}"

    def decide(self, decision: Decision) -> str:
        self._decision = decision
        return "approved" if decision.approved else "rejected"

    async def _approved_action(self, action) -> str:
        if not await self._wait_for_approval(describe(action)):
            return self._rejection()
        # An approved side effect runs at most once: if its worker is lost, it may or may not
        # have happened, so it is reported, not repeated.
        return (await self._browse([action], [None], at_most_once=True))[0]

    async def _call_function(self, name: str, arguments: dict) -> str:
        try:
            value = await workflow.execute_activity(
                TOOL_ACTIVITY_PREFIX + name, arguments, start_to_close_timeout=TOOL_TIMEOUT,
                retry_policy=RetryPolicy(maximum_attempts=self.user_tools[name].max_attempts), summary=f"tool {name}",
            )
        except ActivityError as err:
            return f"error: {getattr(err.cause, 'message', err)}"
        return json.dumps(value, default=str)[:4000]

    def _watch_for_loops(self, actions: list, fingerprint: str) -> None:
        if not actions:
            return
        key = fingerprint + json.dumps([a.model_dump(mode="json") for a in actions], sort_keys=True)
        self.repeats[key] += 1
        if self.repeats[key] >= LOOP_FAIL:
            raise AgentLoop(f"the same actions on an unchanged page {LOOP_FAIL} times: {[describe(a) for a in actions]}")
        if self.repeats[key] >= LOOP_NUDGE:
            self.notes.append("You have repeated the same actions on an unchanged page; they are not working. Try something else or finish.")

    def _finish(self, call: ToolCall, turn: list[Message]) -> Optional[tuple[str, dict]]:
        try:
            arguments = json.loads(call.arguments or "{}")
            if self.inputs.output_schema and arguments.get("success", True):
                jsonschema.validate(arguments.get("result"), self.inputs.output_schema)
        except (json.JSONDecodeError, jsonschema.ValidationError) as err:
            turn.append(_tool_reply(call, f"error: the result does not match the output schema: {getattr(err, 'message', err)}"))
            return None
        summary = str(arguments.get("summary") or "finished")
        output = {
            "result": arguments.get("result"), "success": bool(arguments.get("success", True)), "steps": self.steps, "runs": self.runs,
            "ledger": self.ledger.model_dump(), "spent": describe_ledger(self.ledger), "pages": self.pages_used,
            "url": self.view.url if self.view else "", "refused": self.refused,
        }
        return summary, output


    async def _with_playbook(self, summary: str, output: dict) -> tuple[str, dict]:
        """A successful run yields a playbook: the same work again for 0 LLM tokens."""
        if not output["success"] or not self.recorded:
            return summary, output
        playbook = {"actions": [a.model_dump(mode="json", exclude_defaults=True) | {"action": a.action} for a in self.recorded]}
        if self.inputs.sensitive_data:
            playbook["sensitive_data"] = self.inputs.sensitive_data
        if self.task.description:  # when a step stops working, an agent takes over with it
            playbook["goal"] = self.task.description
        ref = await workflow.execute_activity(
            PUT_ARTIFACT, PutArtifact(task_id=self.session.task_id, name="playbook.json", text=json.dumps(playbook, indent=1)),
            result_type=ArtifactRef, start_to_close_timeout=DESCRIBE_TIMEOUT, summary="save playbook",
        )
        return summary, {**output, "playbook": playbook, "playbook_artifact": ref.model_dump(mode="json")}


def _tool_reply(call: ToolCall, content: str) -> Message:
    return Message(role="tool", tool_call_id=call.id, content=content)
