"""Deterministic orchestration only: no I/O, no wall clock, no randomness outside ``workflow.*``.

Kept empty on purpose: the sandbox re-imports a workflow's package for every run.
"""
