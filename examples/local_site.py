"""The bundled local site: static pages plus paths that misbehave on purpose.

    /slow?ms=1500        answers after a delay
    /status/503          answers with that status
    /redirect?to=URL     302 to URL
    /script/NAME         whatever the function registered with ``site.script(NAME, fn)`` says
                         (GET or POST; POST bodies are kept in ``site.posts``)

HTTP or HTTPS (a certificate from a local CA made by trustme). Every request is recorded,
so tests can check pacing, concurrency and headers.
"""

from __future__ import annotations

import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import parse_qs, urlsplit

SITE_DIR = Path(__file__).parent / "site"


@dataclass
class Reply:
    status: int = 200
    delay: float = 0.0
    body: bytes = b"ok"
    headers: dict = field(default_factory=dict)


@dataclass
class Seen:
    path: str
    at: float
    user_agent: str
    host: str = ""  # the Host header without port: tells apart the names mapped to this server


class LocalSite:
    def __init__(self, tls: Optional[ssl.SSLContext] = None, host: str = "127.0.0.1", port: int = 0):
        self.requests: list[Seen] = []
        self.posts: list[tuple[str, bytes]] = []  # (path, body) of every POST, also counted in requests
        self.in_flight = 0
        self.peak_in_flight = 0
        self.closed_early = 0  # replies the client no longer waited for (cancelled checks)
        self._scripts: dict[str, Callable[[int], Reply]] = {}
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._server.daemon_threads = True
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self.scheme = "https" if tls else "http"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def script(self, name: str, reply: Callable[[int], Reply]) -> str:
        """Register ``reply(n)`` for the n-th request (1-based) to /script/NAME; return its path."""
        self._scripts[name] = reply
        return f"/script/{name}"

    def count(self, path_prefix: str) -> int:
        return sum(1 for seen in self.requests if seen.path.startswith(path_prefix))

    def hosts(self) -> set[str]:
        """Every host name that reached this server."""
        return {seen.host for seen in self.requests}

    def page(self, name: str, html: str) -> str:
        """Serve ``html`` at /script/NAME (a page a test writes inline); return its path."""
        return self.script(name, lambda n: Reply(body=html.encode(), headers={"Content-Type": "text/html; charset=utf-8"}))

    def start(self) -> "LocalSite":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "LocalSite":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _reply(self, path: str) -> Optional[Reply]:
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        if parts.path == "/slow":
            return Reply(delay=float(query.get("ms", ["1000"])[0]) / 1000)
        if parts.path.startswith("/status/"):
            return Reply(status=int(parts.path.rsplit("/", 1)[1]))
        if parts.path == "/redirect":
            return Reply(status=302, headers={"Location": query["to"][0]})
        if parts.path.startswith("/script/"):
            name = parts.path.split("/", 2)[2]
            with self._lock:
                self._counts[name] = self._counts.get(name, 0) + 1
                number = self._counts[name]
            return self._scripts[name](number)
        return None


def _handler_for(site: LocalSite) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(SITE_DIR), **kwargs)

        def log_message(self, *args) -> None:  # keep test output quiet
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            with site._lock:
                site.posts.append((self.path, self.rfile.read(length)))
            self.do_GET()

        def do_GET(self) -> None:
            with site._lock:
                site.requests.append(
                    Seen(self.path, time.monotonic(), self.headers.get("User-Agent", ""), self.headers.get("Host", "").rsplit(":", 1)[0])
                )
                site.in_flight += 1
                site.peak_in_flight = max(site.peak_in_flight, site.in_flight)
            try:
                reply = site._reply(self.path)
                if reply is None:
                    return super().do_GET()
                time.sleep(reply.delay)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                site.closed_early += 1
            finally:
                with site._lock:
                    site.in_flight -= 1

    return Handler


CERT_DAYS = 90


def local_ca():
    """A throwaway CA (trustme) and a 90-day server certificate for 127.0.0.1 and *.localhost."""
    import datetime

    import trustme

    ca = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=CERT_DAYS)
    ca.issue_cert("127.0.0.1", "localhost", "*.localhost", not_after=expires).configure_cert(server)
    return ca, server
