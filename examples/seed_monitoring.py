"""Seed 001, "Monitoring Task": a 24-hour watch of the bundled local site, in the background,
with an alert handler. As in the seed, the script returns while the task runs on; the demo
and the tests cancel it once they have seen alerts.

Changed: the import line and the URL.
"""

from examples.seed_support import SECURE_SITE, Task, TaskConfig, aesop

monitor_task = Task(
    name="monitor_website",
    description="Monitor website availability and performance",
    config=TaskConfig(
        max_duration_seconds=86400,  # Run for 24 hours
        requests_per_second=0.1      # One request every 10 seconds
    ),
    inputs={
        "url": f"{SECURE_SITE}/slow?ms=1500",
        "checks": ["uptime", "latency", "ssl"],
        "alert_threshold_ms": 1000
    }
)

# Run monitoring task in background
execution = aesop.execute_task_async(monitor_task)

# Setup alert handler
def handle_alert(alert):
    print(f"Alert: {alert.message}")
    print(f"Metrics: {alert.metrics}")
    
execution.on_alert(handle_alert)
