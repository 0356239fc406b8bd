"""The app's API spoken as a hostile client would: raw HTTP, any JSON, any event by its index (named or not)."""
import json
import uuid
from pathlib import Path

import httpx


class Answer:
    def __init__(self, events: list[tuple[str, object]], status: int = 200, body: str = ""):
        self.events, self.status, self.body = events, status, body

    @property
    def error(self) -> str | None:
        """The sentence of an error answer; "" for an error without one; None when it did not fail."""
        if self.status != 200:
            return self.body
        for kind, data in self.events:
            if kind == "error":
                return (data or {}).get("error") or "" if isinstance(data, dict) else str(data or "")
        return None

    @property
    def output(self):
        for kind, data in reversed(self.events):
            if kind == "complete":
                return data
        return None


def login(url: str, username: str, password: str) -> httpx.Cookies:
    """Gradio's login form, as a browser submits it; -> the session's cookies."""
    r = httpx.post(f"{url}/login", data={"username": username, "password": password}, timeout=30)
    r.raise_for_status()
    return r.cookies


def call(url: str, api_name: str, data: list, timeout: float = 120, cookies: httpx.Cookies | None = None,
         headers: dict | None = None) -> Answer:
    """POST /gradio_api/call/<name> (with any extra headers), then read its event stream to the end."""
    r = httpx.post(f"{url}/gradio_api/call/{api_name}", content=json.dumps({"data": data}),
                   headers={"content-type": "application/json", **(headers or {})}, timeout=timeout, cookies=cookies)
    if r.status_code != 200:
        return Answer([], r.status_code, r.text)
    event_id = r.json()["event_id"]
    events, kind = [], None
    with httpx.stream("GET", f"{url}/gradio_api/call/{api_name}/{event_id}", timeout=timeout,
                      cookies=cookies) as stream:
        for line in stream.iter_lines():
            if line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:"):
                text = line[5:].strip()
                try:
                    events.append((kind, json.loads(text)))
                except json.JSONDecodeError:
                    events.append((kind, text))
    return Answer(events)


def call_index(url: str, fn_index: int, data: list, event_data=None, timeout: float = 120) -> Answer:
    """Any event by its index, through the queue as the page sends it: events without an API name are reachable too."""
    session = uuid.uuid4().hex
    body = {"data": data, "fn_index": fn_index, "session_hash": session, "event_data": event_data, "trigger_id": None}
    r = httpx.post(f"{url}/gradio_api/queue/join", content=json.dumps(body),
                   headers={"content-type": "application/json"}, timeout=timeout)
    if r.status_code != 200:
        return Answer([], r.status_code, r.text)
    events = []
    with httpx.stream("GET", f"{url}/gradio_api/queue/data", params={"session_hash": session},
                      timeout=timeout) as stream:
        for line in stream.iter_lines():
            if not line.startswith("data:"):
                continue
            message = json.loads(line[5:])
            if message.get("msg") == "process_completed":
                out = message.get("output") or {}
                if message.get("success"):
                    events.append(("complete", out.get("data")))
                else:
                    events.append(("error", {"error": out.get("error")}))
                break
    return Answer(events)


def upload(url: str, path: Path) -> dict:
    """A file sent as the page sends it; -> the FileData payload that names the server's copy."""
    with open(path, "rb") as f:
        r = httpx.post(f"{url}/gradio_api/upload", files={"files": (path.name, f)}, timeout=60)
    r.raise_for_status()
    return {"path": r.json()[0], "meta": {"_type": "gradio.FileData"}}
