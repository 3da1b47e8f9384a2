"""Seed 001, "Task Structure" and "Task Configuration": a Task and a TaskConfig.

Changed: the import line, and the domains, which point at the bundled local site.
"""

from examples.seed_support import SITE_DOMAIN, Task, TaskConfig

task = Task(
    name="research_topic",
    description="Research and summarize information about a given topic",
    config=TaskConfig(
        max_pages=10,
        max_duration_seconds=300,
        allowed_domains=[SITE_DOMAIN, "arxiv.localhost"]
    ),
    inputs={
        "topic": "artificial intelligence",
        "depth": "technical"
    },
    memory_scope="session"
)

config = TaskConfig(
    # Resource limits
    max_pages=10,              # Maximum pages to visit
    max_duration_seconds=300,  # Time limit in seconds
    max_memory_mb=1024,       # Memory limit in MB
    
    # Access controls
    allowed_domains=[SITE_DOMAIN],  # Allowed domains to visit
    blocked_domains=["ads.com"],        # Blocked domains
    require_https=True,                 # Require HTTPS connections
    
    # Browser settings
    viewport_width=1920,       # Browser viewport width
    viewport_height=1080,      # Browser viewport height
    user_agent="...",         # Custom user agent
    
    # Retry behavior
    max_retries=3,            # Max retry attempts
    retry_delay_seconds=1,    # Delay between retries
    
    # Rate limiting
    requests_per_second=2,    # Max requests per second
    concurrent_requests=1      # Max concurrent requests
)

if __name__ == "__main__":
    print(task.model_dump_json(indent=2))
    print(config.model_dump_json(indent=2, exclude_unset=True))
