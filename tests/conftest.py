"""Test-wide set-up: a private HF cache and an HF_ENDPOINT on 127.0.0.1, set before huggingface_hub is imported."""
import os
import socket
import tempfile

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if os.environ.get("PYTEST_XDIST_WORKER"):
    # Two workers on two cores: one thread each (and for the apps they start), or their thread pools fight over both
    # cores and every test runs several times slower.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
HUB_PORT = free_port()
os.environ["HF_ENDPOINT"] = f"http://127.0.0.1:{HUB_PORT}"
os.environ["GENART_GITHUB_URL"] = os.environ["HF_ENDPOINT"]  # the test Hub serves release assets too
os.environ["GENART_FILES_MIRROR"] = os.environ["HF_ENDPOINT"]  # and files of other https hosts, under <host>/<path>
os.environ["HF_HOME"] = tempfile.mkdtemp(prefix="genart-hf-home-")
os.environ["GENART_DATA_DIR"] = tempfile.mkdtemp(prefix="genart-data-")  # history and votes, per test run
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_HUB_DISABLE_XET"] = "1"
os.environ["HF_HUB_DOWNLOAD_TIMEOUT"] = "5"
os.environ["HF_HUB_ETAG_TIMEOUT"] = "5"
os.environ["GENART_DEVICE"] = "cpu"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from tests.hub_server import HubRepos, HubServer  # noqa: E402  (the environment above must come first)


@pytest.fixture(scope="session")
def hub_repos() -> HubRepos:
    return HubRepos()


@pytest.fixture
def hub_server(hub_repos):
    """The Hub-compatible server on HF_ENDPOINT, running for one test."""
    server = HubServer(hub_repos, port=HUB_PORT).start()
    yield server
    server.stop()


def start_app(extra_env: dict | None = None):
    """`python app.py` as a user starts it, on a free port set through GRADIO_SERVER_PORT; -> (url, process, log)."""
    from genart.bench.app_process import start_app as start

    log = tempfile.NamedTemporaryFile("w", dir=os.environ["HF_HOME"], prefix="app-", suffix=".log", delete=False)
    proc, url = start(extra_env, log)
    return url, proc, log


def stop_app(proc, log):
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture(scope="session")
def app_url():
    url, proc, log = start_app()
    yield url
    stop_app(proc, log)
