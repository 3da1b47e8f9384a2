"""The baseline: a plain Temporal workflow whose single activity makes the same HTTP request."""

from __future__ import annotations

from datetime import timedelta

from temporalio import activity, workflow

with workflow.unsafe.imports_passed_through():
    import httpx


class PlainActivities:
    def __init__(self) -> None:
        self.http = httpx.AsyncClient(trust_env=False)

    @activity.defn(name="plain_get")
    async def plain_get(self, url: str) -> int:
        response = await self.http.get(url)
        return response.status_code


@workflow.defn(name="PlainCheck")
class PlainCheck:
    @workflow.run
    async def run(self, url: str) -> int:
        return await workflow.execute_activity(
            "plain_get", url, result_type=int, start_to_close_timeout=timedelta(seconds=15)
        )
