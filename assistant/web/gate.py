"""The HTTP gate in front of Gradio's routes: who may reach what, and what an upload may be.

Gradio checks the login on most of its routes, not all: `/gradio_api/reset`, `/cancel`,
`/stream/…`, FastAPI's `/openapi.json`, and the API description Gradio embeds in `GET /`
answered anyone (issue #18). Rather than chase each one, with login on the gate refuses every
request without a session except what the login page itself needs (deny by default), so a
Gradio upgrade that adds a route adds nothing a stranger can reach. Besides:

- uploads: for administrators only when login is on (adding documents is the page's only
  upload), at most `max_upload_bytes` a request, and only the file types the index reads; a
  refused upload is deleted before the answer is sent;
- session cookies: `HttpOnly; SameSite=Lax`, and `Secure` when the page is served over HTTPS
  (TLS on this server, a trusted proxy's `X-Forwarded-Proto: https` as uvicorn reads it, or
  the operator's word: `lmcs serve --behind-https`).

Without login (one local user on loopback) nothing is refused but uploads of other types.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from index.load import SUPPORTED_TYPES

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

UPLOAD_TYPES = tuple(sorted(SUPPORTED_TYPES))  # what ingest reads, and nothing else
UPLOAD_PATHS = {"/gradio_api/upload", "/gradio_api/upload/"}
MULTIPART_SLACK = 64 * 1024  # a request's part headers and boundaries, beyond the file itself
# What the login page loads before anyone has signed in: the page itself, the login form's POST,
# and Gradio's static files. Everything else needs a session.
OPEN_PATHS = {
    ("GET", "/"),
    ("POST", "/login"),
    ("POST", "/login/"),
    ("GET", "/logout"),
    ("GET", "/favicon.ico"),
    ("GET", "/robots.txt"),
    ("GET", "/manifest.json"),
    ("GET", "/theme.css"),
    ("GET", "/gradio_api/theme.css"),
    ("GET", "/gradio_api/login_check"),
    ("GET", "/gradio_api/login_check/"),
    ("GET", "/gradio_api/startup-events"),  # Gradio calls it on itself at launch; it runs once, then answers only
}
OPEN_PREFIXES = ("/assets/", "/static/", "/svelte/", "/pwa_icon")
# The API description Gradio writes into every page (its named endpoints and their parameters).
API_INFO = re.compile(rb"window\.gradio_api_info = .*?;</script>", re.DOTALL)
NO_API_INFO = b'window.gradio_api_info = {"named_endpoints": {}, "unnamed_endpoints": {}};</script>'


class Gate:
    """ASGI middleware, installed inside Gradio's own (`launch(app_kwargs={"middleware": …})`).

    `is_admin(user)` says whether a signed-in user may upload; `https` is the operator's word
    that every request reaches the server over HTTPS.
    """

    def __init__(
        self,
        app: Callable[[Scope, Receive, Send], Awaitable[None]],
        is_admin: Callable[[str], bool],
        max_upload_bytes: int,
        https: bool = False,
        upload_types: tuple[str, ...] = UPLOAD_TYPES,
    ) -> None:
        self.app = app
        self.is_admin = is_admin
        self.max_upload_bytes = max_upload_bytes
        self.https = https
        self.upload_types = upload_types

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        gradio = scope.get("app")  # Starlette puts the application in the scope before its middleware
        login = getattr(gradio, "auth", None) is not None or getattr(gradio, "auth_dependency", None) is not None
        user = session_user(gradio, scope) if login else None
        if scope["type"] == "websocket":
            if login and user is None:
                await send({"type": "websocket.close", "code": 1008})
                return
            await self.app(scope, receive, send)
            return
        method = "GET" if scope["method"] == "HEAD" else scope["method"]
        path = scope["path"]
        if login and user is None and not is_open(method, path):
            await respond(send, 401, {"detail": "Not authenticated: sign in first."})
            return
        send = self.cookies_marked(scope, send)
        if method == "POST" and path in UPLOAD_PATHS:
            await self.upload(scope, receive, send, login, user)
        elif login and user is None and path == "/":
            await self.without_api_info(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    # --- uploads ---------------------------------------------------------------------------

    async def upload(self, scope: Scope, receive: Receive, send: Send, login: bool, user: str | None) -> None:
        from anyio import to_thread

        if login and not (user is not None and await to_thread.run_sync(self.is_admin, user)):
            await respond(send, 403, {"detail": "Only an administrator can add documents."})
            return
        length = header(scope, b"content-length")
        if not length or not length.isdigit():
            await respond(send, 411, {"detail": "An upload must say its length (Content-Length)."})
            return
        if int(length) > self.max_upload_bytes + MULTIPART_SLACK:
            limit = self.max_upload_bytes / 1_000_000
            await respond(send, 413, {"detail": f"Upload at most {limit:g} MB at a time."})
            return
        status, headers, body = await captured(self.app, scope, receive)
        if status == 200:
            stored = [Path(p) for p in json.loads(body)]
            if any(p.suffix.lower() not in self.upload_types for p in stored):
                for p in stored:  # the whole request is refused: nothing of it is kept
                    p.unlink(missing_ok=True)
                    if p.parent.exists() and not any(p.parent.iterdir()):
                        p.parent.rmdir()
                said = ", ".join(self.upload_types)
                await respond(send, 415, {"detail": f"Only documents can be added (PDF, Word, HTML, text: {said})."})
                return
        await replay(send, status, headers, body)

    # --- the login page ----------------------------------------------------------------------

    async def without_api_info(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The login page as Gradio renders it, without the API description it embeds."""
        status, headers, body = await captured(self.app, scope, receive)
        await replay(send, status, headers, API_INFO.sub(lambda _: NO_API_INFO, body, count=1))

    # --- cookies -----------------------------------------------------------------------------

    def cookies_marked(self, scope: Scope, send: Send) -> Send:
        secure = self.https or scope.get("scheme") == "https"

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    (k, session_cookie(v, secure) if k.lower() == b"set-cookie" else v)
                    for k, v in message.get("headers", [])
                ]
            await send(message)

        return sending


def session_cookie(value: bytes, secure: bool) -> bytes:
    """A Gradio session cookie (`access-token…`) with HttpOnly and SameSite=Lax (Gradio sets
    SameSite=None on one, for embedding in other sites' frames), and Secure over HTTPS."""
    if not value.startswith(b"access-token"):
        return value
    first, *attributes = (a.strip() for a in value.split(b";"))
    kept = [a for a in attributes if a.lower().split(b"=")[0] not in (b"httponly", b"samesite", b"secure")]
    return b"; ".join([first, *kept, b"HttpOnly", b"SameSite=Lax", *([b"Secure"] if secure else [])])


def session_user(gradio: Any, scope: Scope) -> str | None:
    """The signed-in user of a request, read as Gradio reads it (its session cookie)."""
    from starlette.requests import HTTPConnection

    cookies = HTTPConnection(scope).cookies
    cookie_id = getattr(gradio, "cookie_id", "")
    token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
    tokens = getattr(gradio, "tokens", {}) or {}
    return tokens.get(token) if token else None


def is_open(method: str, path: str) -> bool:
    return (method, path) in OPEN_PATHS or (method == "GET" and path.startswith(OPEN_PREFIXES))


def header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", []):
        if k.lower() == name:
            return str(v.decode("latin-1")).strip()
    return None


async def respond(send: Send, status: int, content: dict[str, Any]) -> None:
    body = json.dumps(content).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def captured(app: Any, scope: Scope, receive: Receive) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Run the app and keep its whole answer (small ones only: an upload's paths, the login page)."""
    start: Message = {}
    chunks: list[bytes] = []

    async def keep(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, keep)
    return int(start.get("status", 500)), list(start.get("headers", [])), b"".join(chunks)


async def replay(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
