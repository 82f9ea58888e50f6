"""Per-request context for every route: language, the anonymous CSRF cookie, security headers."""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord import i18n
from accord.auth.secrets import new_secret

LANGUAGE_COOKIE = "accord_lang"
ANONYMOUS_CSRF_COOKIE = "accord_csrf"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def content_security_policy(image_source: str = "") -> str:
    """The policy, also allowing images from ``image_source`` (a map's tile server)."""
    images = f"img-src 'self' data: {image_source}".rstrip()
    return CONTENT_SECURITY_POLICY.replace("img-src 'self' data:", images)


def _cookies(scope: Scope) -> dict[str, str]:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            jar.load(value.decode("latin-1"))
            return {key: morsel.value for key, morsel in jar.items()}
    return {}


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return value.decode("latin-1")
    return None


class WebContextMiddleware:
    """Sets the request's language and gives anonymous visitors a CSRF cookie for forms."""

    def __init__(self, app: ASGIApp, *, secure_cookies: bool = False) -> None:
        self.app = app
        self.secure = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        language = cookies.get(LANGUAGE_COOKIE) or i18n.pick_language(
            _header(scope, b"accept-language")
        )
        i18n.set_language(language)
        scope["accord.language"] = i18n.current_language()
        anonymous_csrf = cookies.get(ANONYMOUS_CSRF_COOKIE)
        new_cookie = None
        if not anonymous_csrf:
            anonymous_csrf = new_cookie = new_secret()
        scope["accord.anonymous_csrf"] = anonymous_csrf

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                if new_cookie:
                    secure = "; Secure" if self.secure else ""
                    headers.append(
                        "Set-Cookie",
                        f"{ANONYMOUS_CSRF_COOKIE}={new_cookie}; Path=/; HttpOnly; "
                        f"SameSite=Lax{secure}",
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)
