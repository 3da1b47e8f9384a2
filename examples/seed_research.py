"""Seed 001, "Web Research Task".

Changed: the import line; the allowed domains are the bundled local site's, which also needs
a start URL (it is not served at https://docs.localhost/).
"""

from examples.seed_support import SITE, SITE_DOMAIN, Task, TaskConfig, aesop

research_task = Task(
    name="research_quantum_computing",
    description="Research recent advances in quantum computing",
    config=TaskConfig(
        max_pages=10,
        allowed_domains=[SITE_DOMAIN, "nature.localhost", "science.localhost"]
    ),
    inputs={
        "topic": "quantum computing",
        "start_date": "2023-01-01",
        "focus_areas": ["algorithms", "hardware"],
        "start_urls": [f"{SITE}/research/index.html"],
    }
)

result = aesop.execute_task(research_task)
print(result.summary)
