"""A real OpenAI-compatible HTTP server that answers from a script: the tests' LLM.

No capable model runs on these machines, so tests say what the model answers; the client,
the HTTP, the error translation and the retries are all real.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional


@dataclass
class Scripted:
    status: int = 200
    content: Optional[str] = None
    tool_calls: list[dict] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    prompt_tokens: int = 100
    completion_tokens: int = 20
    gate: Optional[threading.Event] = None  # the reply waits until the test sets it


class ScriptedLLM:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []  # every request body, in order
        self.headers: list[dict[str, str]] = []
        self._script: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def say(self, content: str, **usage: int) -> None:
        self._script.append(Scripted(content=content, **usage))

    def call(self, name: str, arguments: dict, gate: Optional[threading.Event] = None, **usage: int) -> None:
        """The model answers with one tool call."""
        self.calls([(name, arguments)], gate=gate, **usage)

    def calls(self, calls: list[tuple[str, dict]], gate: Optional[threading.Event] = None, **usage: int) -> None:
        tool_calls = [
            {"id": f"call_{len(self.requests)}_{i}_{time.monotonic_ns()}", "type": "function",
             "function": {"name": name, "arguments": json.dumps(args)}}
            for i, (name, args) in enumerate(calls)
        ]
        self._script.append(Scripted(tool_calls=tool_calls, gate=gate, **usage))

    def fail(self, status: int, headers: Optional[dict[str, str]] = None) -> None:
        self._script.append(Scripted(status=status, headers=headers or {}))

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next(self, body: dict, headers: dict) -> Scripted:
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            return self._script.popleft() if self._script else Scripted(status=500, content="script exhausted")


def _handler(llm: ScriptedLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            reply = llm._next(body, dict(self.headers))
            if reply.gate is not None:
                reply.gate.wait(60)
            if reply.status != 200:
                payload = {"error": {"message": reply.content or f"scripted {reply.status}", "type": "scripted"}}
            else:
                message: dict[str, Any] = {"role": "assistant", "content": reply.content}
                if reply.tool_calls:
                    message["tool_calls"] = reply.tool_calls
                payload = {
                    "id": f"chatcmpl-{len(llm.requests)}", "object": "chat.completion", "created": int(time.time()),
                    "model": body.get("model", "scripted"),
                    "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if reply.tool_calls else "stop"}],
                    "usage": {"prompt_tokens": reply.prompt_tokens, "completion_tokens": reply.completion_tokens,
                              "total_tokens": reply.prompt_tokens + reply.completion_tokens},
                }
            data = json.dumps(payload).encode()
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler
