"""The HTTP server's own limits, below the application: what uvicorn accepts before a request reaches FastAPI.

`mskg serve` runs uvicorn with `uvicorn_options(settings)`: `GuardedHttpProtocol` (uvicorn's httptools protocol)
refuses a request line and headers larger than `Settings.max_header_bytes` (414 when the URL alone is that long,
else 431), closes a connection that has not sent its line and headers within `Settings.header_timeout_s` (408), and
answers malformed HTTP (control characters in a header, say) and the connection cap (`Settings.max_connections`,
503) in the service's one JSON error shape. uvicorn closes idle kept-alive connections after `Settings.keep_alive_s`.
A public deployment still sits behind a reverse proxy (README: `deploy/nginx.conf`).
"""

from __future__ import annotations

import asyncio
import json
from functools import cache
from http import HTTPStatus
from typing import Any

from uvicorn.protocols.http import httptools_impl
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .errors import error_body
from .settings import Settings

__all__ = ["GuardedHttpProtocol", "error_bytes", "uvicorn_options"]


@cache
def _limits() -> tuple[int, float]:
    """(max header bytes, header timeout) from the `MSKG_*` environment that `mskg serve` sets for its workers."""
    settings = Settings.from_env()
    return settings.max_header_bytes, settings.header_timeout_s


def error_bytes(status: int, message: str) -> bytes:
    """A complete HTTP/1.1 error response in the service's JSON error shape; the connection closes after it."""
    body = json.dumps(error_body(status, message)).encode()
    head = (
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        "cache-control: no-store\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a cap on the size of a request's line and headers and a time limit for
    receiving them; its own errors in the service's JSON shape."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._max_head, self._head_timeout = _limits()
        self._in_head = True  # between requests, or reading a request's line and headers
        self._head_bytes = 0
        self._line_ended = False
        self._head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._in_head and not self._within_limits(data):
            return
        super().data_received(data)

    def _within_limits(self, data: bytes) -> bool:
        """Check a chunk of a request's line and headers before the parser reads it; refuse what passes the cap."""
        self._arm_head_timer()
        if not self._line_ended:
            newline = data.find(b"\n")
            line = self._head_bytes + (newline if newline >= 0 else len(data))
            self._line_ended = newline >= 0
            if line > self._max_head:
                self._refuse(414, f"the URL is longer than {self._max_head} bytes: send long queries with POST")
                return False
        end = data.find(b"\r\n\r\n")
        head = self._head_bytes + (end if end >= 0 else len(data))
        self._head_bytes += len(data)
        if head > self._max_head:
            self._refuse(431, f"the request's line and headers are larger than {self._max_head} bytes")
            return False
        return True

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._disarm_head_timer()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        self._in_head, self._head_bytes, self._line_ended = True, 0, False
        super().on_response_complete()  # arms uvicorn's keep-alive timer for the idle connection

    def send_400_response(self, msg: str) -> None:
        self._refuse(400, f"the request is not valid HTTP/1.1 ({msg.rstrip('.').lower()})")

    def _refuse(self, status: int, message: str) -> None:
        self._disarm_head_timer()
        self.transport.write(error_bytes(status, message))
        self.transport.close()

    def _arm_head_timer(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self._head_timeout, self._head_timed_out)

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._in_head and not self.transport.is_closing():
            if self._head_bytes:
                self._refuse(408, f"the request's line and headers took longer than {self._head_timeout:g} s")
            else:
                self.transport.close()  # an idle connection that never sent anything: nothing to answer


async def _service_unavailable(scope: Any, receive: Any, send: Any) -> None:
    body = json.dumps(error_body(503, "the server is at its connection limit: try again shortly")).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", b"1"),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


# uvicorn answers requests past `limit_concurrency` with this module-level app (plain text by default)
httptools_impl.service_unavailable = _service_unavailable  # type: ignore[attr-defined]


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """The uvicorn settings that enforce the HTTP limits of `settings`."""
    return {
        "http": "modernstats_kg.server:GuardedHttpProtocol",
        "timeout_keep_alive": settings.keep_alive_s,
        "limit_concurrency": settings.max_connections,
        "h11_max_incomplete_event_size": settings.max_header_bytes,
    }
