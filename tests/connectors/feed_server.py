"""A real HTTP server on 127.0.0.1 serving feeds, with scripted faults.

Routes map a path to a handler ``(query) -> Reply``. ``FeedServer.script(path, replies)``
makes the next requests to ``path`` get the given replies (500s, timeouts, garbage...)
before the route's normal handler answers again.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Query = dict[str, str]


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    truncate: bool = False  # promise the full length, send half, close

    @classmethod
    def json(cls, value: Any, status: int = 200, **headers: str) -> Reply:
        return cls(
            status, json.dumps(value).encode(), {"Content-Type": "application/json", **headers}
        )


Handler = Callable[[Query], Reply]


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.scripts: dict[str, deque[Reply]] = defaultdict(deque)
        self.requests: list[tuple[str, Query, dict[str, str]]] = []
        server = self

        class RequestHandler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                server.requests.append((parts.path, query, dict(self.headers)))
                reply = server.reply(parts.path, query, dict(self.headers))
                time.sleep(reply.delay_s)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(
                        reply.body[: len(reply.body) // 2] if reply.truncate else reply.body
                    )
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def reply(self, path: str, query: Query, headers: dict[str, str]) -> Reply:
        if self.scripts[path]:
            return self.scripts[path].popleft()
        handler = self.routes.get(path)
        return handler(query) if handler else Reply(404, b"not found")

    def script(self, path: str, *replies: Reply) -> None:
        self.scripts[path].extend(replies)

    def count(self, path: str) -> int:
        return sum(1 for p, _, _ in self.requests if p == path)

    def start(self) -> FeedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def paged(
    items: list[dict[str, Any]],
    envelope: Callable[[list[dict[str, Any]], int, int, int], dict[str, Any]],
    default_size: int = 50,
) -> Handler:
    """A ``?page=N&per_page=M`` list endpoint (pages from 1) over ``items``."""

    def handle(query: Query) -> Reply:
        size = int(query.get("per_page", default_size))
        number = int(query.get("page", 1))
        pages = max(1, -(-len(items) // size))
        chunk = items[(number - 1) * size : number * size]
        return Reply.json(envelope(chunk, number, pages, len(items)))

    return handle


def oruk_envelope(chunk: list[Any], number: int, pages: int, total: int) -> dict[str, Any]:
    return {
        "totalElements": total,
        "totalPages": pages,
        "number": number,
        "size": len(chunk),
        "first": number == 1,
        "last": number >= pages,
        "content": chunk,
    }


def hsds_envelope(chunk: list[Any], number: int, pages: int, total: int) -> dict[str, Any]:
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": len(chunk),
        "first_page": number == 1,
        "last_page": number >= pages,
        "empty": not chunk,
        "contents": chunk,
    }
