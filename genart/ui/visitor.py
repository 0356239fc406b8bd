"""Who is asking: the owner of what a request makes and the reader of what it asks for.

On a private server everything is the local user's (history.LOCAL) and they read everything. On a public one a
visitor is their login, else their browser (a random cookie this server set, VisitorCookie), else their Gradio
session: they read only what that identity made. The identity comes from the request Gradio is serving, which it
keeps in a context variable for the duration of each event, so no event's API grows a parameter for it.
"""
import functools
import inspect
import logging
import re
import secrets
from pathlib import Path

from gradio import FileData
from gradio.context import LocalContext

from .. import access, history
from ..errors import GenartError
from .common import OUTPUT_ROOT

COOKIE = "genart_visitor"
TOKEN = re.compile(r"[0-9a-f]{32}")
YEAR = 365 * 24 * 3600
log = logging.getLogger("genart")


class VisitorCookie:
    """ASGI middleware: a browser without the visitor cookie gets one (random, HttpOnly), so a visitor's history
    outlives a page reload. SameSite=None on HTTPS, where a Space shows the app inside its own page's frame."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or TOKEN.fullmatch(_cookie(scope) or ""):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        https = scope.get("scheme") == "https" or headers.get(b"x-forwarded-proto") == b"https"
        cookie = f"{COOKIE}={secrets.token_hex(16)}; Max-Age={YEAR}; Path=/; HttpOnly; " + \
            ("SameSite=None; Secure" if https else "SameSite=Lax")

        async def send_with_cookie(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie.encode())]}
            await send(message)

        return await self.app(scope, receive, send_with_cookie)


def _cookie(scope) -> str | None:
    for name, value in scope.get("headers") or []:
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, token = part.strip().partition("=")
                if key == COOKIE:
                    return token
    return None


def owner(request=None) -> str | None:
    """Who makes what the current request makes; None when a public server cannot tell (nothing is kept then)."""
    if not access.is_public():
        return history.LOCAL
    request = request if request is not None else LocalContext.request.get(None)
    if request is None:
        return None
    if getattr(request, "username", None):
        return f"user:{request.username}"
    token = (getattr(request, "cookies", None) or {}).get(COOKIE, "")
    if TOKEN.fullmatch(token):
        return f"browser:{token}"
    session = getattr(request, "session_hash", None)
    return f"session:{session}" if session else None


def reader(request=None) -> str | None:
    """Whose entries the current request may read: None (all of them) on a private server, else its owner's."""
    if not access.is_public():
        return None
    who = owner(request)
    if who is None:
        raise GenartError("This server could not tell who you are, so it shows no history; open the app in a "
                          "browser that keeps cookies.")
    return who


def output_paths(value) -> list[Path]:
    """The files under the app's output folder that an event's return value names (gallery items, file updates)."""
    found = []
    if isinstance(value, (list, tuple)):
        for item in value:
            found += output_paths(item)
    elif isinstance(value, dict):
        found += output_paths(value.get("value"))
    elif isinstance(value, FileData):
        found += output_paths(value.path)
    elif isinstance(value, (str, Path)) and str(value).startswith(str(OUTPUT_ROOT)) and len(str(value)) < 4096:
        path = Path(value)  # only names output_dir() made are looked up: a stream's texts cost no system calls
        try:
            if path.is_file() and path.resolve().is_relative_to(OUTPUT_ROOT.resolve()):
                found.append(path)
        except (OSError, ValueError):
            pass
    return found


def _keep(paths: list[Path], maker: str | None) -> None:
    if maker is None or not paths:
        return
    try:
        history.keep(list(dict.fromkeys(paths)), maker)
    except Exception:  # the output is the visitor's whatever happens to its copy in the history
        log.exception("history: could not keep an output")


def keep_file(path: str) -> None:
    """An output an API stream wrote only for the history (its texts went out as data)."""
    _keep([Path(path)], owner())


def kept(fn):
    """Outermost on an event that writes outputs: the files it returns that carry a genart record (a stream's last
    update's) go into the maker's history. Keeping never fails the event."""
    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def stream(*args, **kwargs):
            maker, paths = owner(), []
            for update in fn(*args, **kwargs):
                paths = output_paths(update)  # now: once yielded, Gradio takes the update's values out of it
                yield update
            _keep(paths, maker)
        return stream

    @functools.wraps(fn)
    def plain(*args, **kwargs):
        maker = owner()
        value = fn(*args, **kwargs)
        _keep(output_paths(value), maker)
        return value
    return plain
