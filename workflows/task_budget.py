"""A task's LLM limits as they stand: raised while it runs, and waited on when the task pauses."""

from __future__ import annotations

from typing import Callable, Optional

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.budget import BudgetRaise, check_budget, raised
    from models.config import TaskConfig
    from models.errors import BudgetExceeded
    from models.llm import Ledger


class TaskBudget:
    def __init__(self, config: TaskConfig, on_pause: Callable[[Optional[str]], None]):
        self.config = config
        self._on_pause = on_pause  # the reason when pausing, None when going on

    async def allow(self, ledger: Ledger) -> TaskConfig:
        """The limits the next call runs under; at a limit, raise BudgetExceeded or pause until raised."""
        while True:
            try:
                check_budget(ledger, self.config)
                return self.config
            except BudgetExceeded as err:
                if self.config.on_budget_exhausted != "pause":
                    raise
                before = self.config
                self._on_pause(str(err))
                await workflow.wait_condition(lambda: self.config is not before)  # cancelling ends the wait
                self._on_pause(None)

    def check(self, new: BudgetRaise) -> TaskConfig:
        return raised(self.config, new)

    def raise_to(self, new: BudgetRaise) -> TaskConfig:
        self.config = raised(self.config, new)
        return self.config
