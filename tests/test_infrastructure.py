"""The dev-server script, the worker process and the CLI, as a user runs them."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys

from client.dev import load_devserver
from tests.conftest import ROOT, TASK_QUEUE


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_devserver_start_is_idempotent_and_stop_is_clean(tmp_path, monkeypatch):
    monkeypatch.setenv("AESOP_STATE_DIR", str(tmp_path))
    devserver = load_devserver(fresh=True)
    port, ui_port = free_port(), free_port()

    assert "web UI" in devserver.start(port, ui_port)
    try:
        assert "already running" in devserver.start(port, ui_port)
        listed = subprocess.run(
            [devserver.temporal_binary(), "operator", "search-attribute", "list", "--address", f"127.0.0.1:{port}"],
            capture_output=True, text=True, timeout=30,
        ).stdout
        assert all(name in listed for name in ("TaskName", "TaskState", "TaskKind"))
        assert (tmp_path / "temporal-dev.db").exists()  # tasks survive a restart
    finally:
        assert "stopped" in devserver.stop()
    assert not devserver.listening(port)
    assert "not running" in devserver.stop()


def _env_for(env) -> dict:
    return {**os.environ, "TEMPORAL_ADDRESS": env.client.service_client.config.target_host, "AESOP_TASK_QUEUE": TASK_QUEUE}


async def test_cli_runs_a_task_file_and_reports_status(env, worker, site, tmp_path):
    task_file = tmp_path / "monitor.yaml"
    task_file.write_text(
        "name: monitor_website\nconfig:\n  max_duration_seconds: 1.5\n  requests_per_second: 4\n"
        f"inputs:\n  url: {site.url('/')}\n  checks: [uptime, latency]\n"
    )
    run = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "client.cli", "run", str(task_file), "--task-id", "cli-run-1",
        env=_env_for(env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    out = (await asyncio.wait_for(run.communicate(), 60))[0].decode()
    assert run.returncode == 0, out
    assert "completed" in out and "uptime 100.0%" in out

    status = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "client.cli", "status", "cli-run-1",
        env=_env_for(env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    out = (await asyncio.wait_for(status.communicate(), 30))[0].decode()
    assert "completed" in out and "monitor_website" in out

    listing = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "client.cli", "list", "--state", "completed", "--name", "monitor_website",
        env=_env_for(env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    out = (await asyncio.wait_for(listing.communicate(), 30))[0].decode()
    assert listing.returncode == 0 and "cli-run-1" in out


async def test_cli_bad_task_file_and_unreachable_server_print_one_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nconfig:\n  max_pages: -1\n")
    for args, env in (
        (["run", str(bad)], os.environ),
        (["status", "anything"], {**os.environ, "TEMPORAL_ADDRESS": "127.0.0.1:1"}),
    ):
        done = subprocess.run([sys.executable, "-m", "client.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=30)
        assert done.returncode == 1
        assert "Traceback" not in done.stdout + done.stderr
    assert "TemporalUnreachable" in done.stdout


async def test_worker_process_stops_gracefully_on_sigterm(env):
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "worker.py", env=_env_for(env), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    lines = []
    while not any("polling" in line for line in lines):
        lines.append((await asyncio.wait_for(proc.stdout.readline(), 30)).decode())
    proc.send_signal(signal.SIGTERM)
    await asyncio.wait_for(proc.wait(), 15)
    assert proc.returncode == 0


async def test_cli_memory_set_get_list(env, worker):
    async def cli(*args: str) -> str:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "client.cli", "memory", *args,
            env=_env_for(env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT,
        )
        out = (await asyncio.wait_for(proc.communicate(), 30))[0].decode()
        assert proc.returncode == 0, out
        return out

    await cli("set", "cli_visited", '["https://example.com"]')
    assert json.loads(await cli("get", "cli_visited")) == ["https://example.com"]
    assert "cli_visited" in (await cli("list")).split()
