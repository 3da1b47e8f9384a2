"""Deterministic orchestration only: no I/O, no wall clock, no randomness outside ``workflow.*``."""

from workflows.memory_workflow import MemoryWorkflow
from workflows.task_workflow import TaskWorkflow

ALL_WORKFLOWS = [TaskWorkflow, MemoryWorkflow]
