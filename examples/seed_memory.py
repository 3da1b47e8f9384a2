"""Seed 001, "Task Memory".

Changed: the import line; the two Task definitions get inputs where the seed writes ``# ...``.
"""

from examples.seed_support import SITE, Task, aesop

# Write to task memory
aesop.memory.set("visited_urls", ["https://example.com"])

# Read from task memory
visited = aesop.memory.get("visited_urls")
print(f"visited_urls: {visited}")

# Memory persists based on scope
task = Task(
    name="persistent_task",
    memory_scope="permanent",  # Memory persists forever
    inputs={"url": SITE, "checks": ["uptime"]},
)

task = Task(
    name="session_task", 
    memory_scope="session",   # Memory cleared after task completes
    inputs={"url": SITE, "checks": ["uptime"]},
)
