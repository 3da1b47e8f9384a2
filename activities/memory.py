"""A task's way to permanent memory: workflows cannot send Updates, so activities do it with a client."""

from __future__ import annotations

from typing import Optional

from temporalio import activity

from client.memory import AsyncMemory
from models.errors import AesopError
from models.failures import as_failure
from models.memory import PERMANENT_GET, PERMANENT_KEYS, PERMANENT_SET, MemoryEntry, MemoryWrite


class MemoryActivities:
    def __init__(self, memory: AsyncMemory):
        self.memory = memory

    @activity.defn(name=PERMANENT_SET)
    async def set(self, write: MemoryWrite) -> int:
        try:
            return await self.memory.set(write.key, write.value, if_version=write.if_version)
        except AesopError as err:  # conflict, full
            raise as_failure(err) from None

    @activity.defn(name=PERMANENT_GET)
    async def get(self, key: str) -> Optional[MemoryEntry]:
        return await self.memory.entry(key)

    @activity.defn(name=PERMANENT_KEYS)
    async def keys(self) -> list[str]:
        return await self.memory.list()
