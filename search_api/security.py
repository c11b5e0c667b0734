"""Response headers that keep the archive's pages from being framed, sniffed or scripted from elsewhere.

The pages load scripts and styles from /static only (htmx is served locally), so the policy allows no
inline script. Originals are always sent as attachments (see the documents router): an uploaded HTML
page never runs in the archive's origin.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Redoc (the API reference at /redoc) writes its styles into <style> elements as it renders and runs its
# search in a worker it makes from a blob: that page alone allows inline styles and blob: workers. Its
# scripts are files of the archive like every page's (no inline script), and /docs (Swagger UI, started
# by a script file) keeps the strict policy.
REDOC_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'; worker-src 'self' blob:")
REDOC_PATH = "/redoc"
HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"same-origin",
    b"cross-origin-opener-policy": b"same-origin",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = REDOC_POLICY if scope["path"] == REDOC_PATH else CONTENT_SECURITY_POLICY

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in HEADERS]
                headers += list(HEADERS.items())
                headers.append((b"content-security-policy", policy.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
