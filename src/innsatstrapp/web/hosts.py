"""The dashboard answers only to its own host names, so a page elsewhere cannot read it
through DNS rebinding (evil.example resolving to 127.0.0.1), and every answer carries the
headers that keep it out of frames, caches and other origins."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOCAL = ("127.0.0.1", "localhost", "::1")
HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
           (b"x-frame-options", b"DENY"), (b"cross-origin-resource-policy", b"same-origin"),
           (b"cross-origin-opener-policy", b"same-origin"),
           (b"cache-control", b"no-store")]  # health figures: never kept by a proxy or disk


def host_name(header: str) -> str:
    """The name of a Host header without its port ("[::1]:8000" → "::1")."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class OwnHosts:
    """ASGI middleware: a request with another Host gets 400 and a Norwegian text."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str] = ()) -> None:
        self.app = app
        self.allowed = {h.strip().lower().strip("[]") for h in (*LOCAL, *allowed) if h}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        name = host_name(headers.get(b"host", b"").decode("latin-1"))
        if name not in self.allowed:
            body = (f"Ukjent vertsnavn «{name[:100]}». Dashbordet svarer bare på sine egne "
                    f"adresser ({', '.join(sorted(self.allowed))}); legg til flere med "
                    f"«innsatstrapp serve --allow-host NAVN».").encode()
            await send({"type": "http.response.start", "status": 400, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"), *HEADERS]})
            await send({"type": "http.response.body", "body": body})
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in HEADERS if h[0] not in have)]
            await send(message)

        await self.app(scope, receive, with_headers)
