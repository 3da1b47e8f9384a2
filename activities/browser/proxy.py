"""A per-context forward proxy that refuses what the access policy forbids.

Playwright's request routing does not see the hops of HTTP redirects (a 302 to a blocked
host would be followed unseen), nor WebSockets. Every connection the browser context opens
goes through this proxy instead, so each hop is checked before any byte reaches the host.
"""

from __future__ import annotations

import asyncio
import fnmatch
import ipaddress
from dataclasses import dataclass, field
from typing import Callable, Optional
from urllib.parse import urlsplit

UPSTREAM_CONNECT_TIMEOUT = 15.0
HEAD_LIMIT = 64 * 1024

Check = Callable[[str], Optional[str]]  # url -> reason it is refused, or None


def parse_host_rules(rules: str) -> list[tuple[str, str]]:
    """Chromium's ``--host-resolver-rules`` subset: ``MAP pattern address`` separated by commas."""
    pairs = []
    for rule in filter(None, (part.strip() for part in rules.split(","))):
        words = rule.split()
        if len(words) != 3 or words[0].upper() != "MAP":
            raise ValueError(f"unsupported host rule {rule!r}: use 'MAP <pattern> <address>'")
        pairs.append((words[1].lower(), words[2]))
    return pairs


@dataclass
class PolicyProxy:
    check: Check
    host_rules: list[tuple[str, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    _server: Optional[asyncio.AbstractServer] = None

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    async def close(self) -> None:
        if self._server:
            self._server.close()

    def resolve(self, host: str) -> str:
        host = host.lower().rstrip(".")
        for pattern, address in self.host_rules:
            if fnmatch.fnmatch(host, pattern):
                return address
        if host == "localhost" or host.endswith(".localhost"):  # as Chromium does (RFC 6761)
            return "127.0.0.1"
        return host

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            if len(head) > HEAD_LIMIT:
                raise ValueError("request head too large")
            request_line, *headers = head.decode("latin1").split("\r\n")
            method, target, version = request_line.split(" ", 2)
            if method.upper() == "CONNECT":
                await self._tunnel(target, reader, writer)
            else:
                await self._forward(method, target, version, headers, reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError, ValueError, asyncio.LimitOverrunError, OSError):
            writer.close()

    def _refuse(self, url: str) -> Optional[str]:
        reason = self.check(url)
        if reason:
            self.refused.append(reason)
        return reason

    async def _tunnel(self, target: str, reader, writer) -> None:
        host, _, port = target.rpartition(":")
        host = host.strip("[]")
        # A tunnel carries TLS (https, wss): the URL's scheme is https for the policy.
        shown = f"[{host}]" if _is_ipv6(host) else host
        if self._refuse(f"https://{shown}:{port}/"):
            writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
            writer.close()
            return
        upstream_reader, upstream_writer = await self._connect(host, int(port))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await _splice(reader, writer, upstream_reader, upstream_writer)

    async def _forward(self, method: str, target: str, version: str, headers: list[str], reader, writer) -> None:
        if self._refuse(target):
            writer.close()  # the browser shows a network error: nothing reached the host
            return
        parts = urlsplit(target)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        kept = [h for h in headers if h and not h.lower().startswith(("proxy-connection:", "connection:", "keep-alive:"))]
        # One request per upstream connection: the browser may send the next request on
        # this proxy connection to another host, which must be checked afresh.
        head = f"{method} {path} {version}\r\n" + "\r\n".join([*kept, "Connection: close"]) + "\r\n\r\n"
        upstream_reader, upstream_writer = await self._connect(parts.hostname or "", parts.port or 80)
        upstream_writer.write(head.encode("latin1"))
        body_length = next((int(h.split(":", 1)[1]) for h in kept if h.lower().startswith("content-length:")), 0)
        if body_length:
            upstream_writer.write(await reader.readexactly(body_length))
        # Nothing more is read from the browser: a next request on this connection fails
        # and is retried on a new one, where it is checked.
        await _pipe(upstream_reader, writer)
        upstream_writer.close()

    async def _connect(self, host: str, port: int):
        return await asyncio.wait_for(asyncio.open_connection(self.resolve(host), port), UPSTREAM_CONNECT_TIMEOUT)


def _is_ipv6(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).version == 6
    except ValueError:
        return False


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(256 * 1024):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def _splice(client_reader, client_writer, upstream_reader, upstream_writer) -> None:
    await asyncio.gather(_pipe(client_reader, upstream_writer), _pipe(upstream_reader, client_writer))
