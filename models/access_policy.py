"""The access policy of a task: which URLs it may request. Pure functions, used on both sides."""

from __future__ import annotations

from urllib.parse import urlsplit

from models.config import TaskConfig
from models.errors import PolicyViolation


def host_matches(host: str, domain: str) -> bool:
    """True when ``host`` is ``domain`` or one of its subdomains."""
    return host == domain or host.endswith("." + domain)


def check_url(url: str, config: TaskConfig) -> None:
    """Raise PolicyViolation unless the task may request ``url``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".").lower()
    if scheme not in ("http", "https") or not host:
        raise PolicyViolation(f"refused {url!r}: only http(s) URLs with a host are allowed")
    if config.require_https and scheme != "https":
        raise PolicyViolation(f"refused {url!r}: require_https is set")
    for domain in config.blocked_domains:
        if host_matches(host, domain):
            raise PolicyViolation(f"refused {url!r}: {host} is in blocked_domains ({domain})")
    if config.allowed_domains and not any(host_matches(host, d) for d in config.allowed_domains):
        raise PolicyViolation(
            f"refused {url!r}: {host} is not in allowed_domains {list(config.allowed_domains)}"
        )
