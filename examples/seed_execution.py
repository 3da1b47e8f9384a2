"""Seed 001, "Executing Tasks": synchronous, then asynchronous execution with polling.

Changed: the import line; the seed's ``task`` is defined first, reading the bundled local site
(its research notes stand in for the web; start_urls because the local site is not served at
https://docs.localhost/).
"""

import time

from examples.seed_support import SITE, SITE_DOMAIN, Task, TaskConfig, aesop

task = Task(
    name="research_topic",
    description="Research and summarize information about a given topic",
    config=TaskConfig(max_pages=3, max_duration_seconds=300, allowed_domains=[SITE_DOMAIN]),
    inputs={"topic": "quantum computing", "depth": "technical", "start_urls": [f"{SITE}/research/index.html"]},
    memory_scope="session",
)

# Synchronous execution
result = aesop.execute_task(task)
print(f"Task completed with result: {result}")

# Asynchronous execution
execution = aesop.execute_task_async(task)
execution_id = execution.id

# Poll for completion
while True:
    status = aesop.get_task_status(execution_id)
    if status.state == "completed":
        result = status.result
        break
    time.sleep(1)

print(f"Polled result: {result}")

# Task Lifecycle: detailed status
status = aesop.get_task_status(execution_id)
print(f"State: {status.state}")
print(f"Progress: {status.progress}%")
print(f"Current action: {status.current_action}")
print(f"Error (if any): {status.error}")
