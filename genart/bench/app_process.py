"""The app started as a user starts it (`python app.py` on a free port), for the soak and for tests that talk to it."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(env: dict | None = None, log=subprocess.DEVNULL, cwd: Path = ROOT) -> tuple[subprocess.Popen, str]:
    """`python app.py` in `cwd` on 127.0.0.1 and a free port, `env` added to this process's; -> (process, URL) once
    it answers. Its output goes to `log` (a file, or nothing)."""
    port = free_port()
    env = os.environ | {"GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port)} | (env or {})
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app.py exited with {proc.returncode}" + (f"; see {log.name}" if hasattr(log, "name")
                                                                           else ""))
        try:
            urllib.request.urlopen(url, timeout=2)
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("app.py did not start serving within 90 s")
