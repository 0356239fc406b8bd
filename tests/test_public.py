"""Public mode, file access and the limits, against running apps: what a visitor to a shared genart cannot do."""
import json
import os
import threading
from pathlib import Path

import httpx
import pytest

from genart import hub
from genart.errors import GenartError
from genart.registry import get_spec
from genart.ui.uploads import NOT_AN_UPLOAD
from tests.checkpoints import bin_bytes, huggan_config, huggan_generator, safetensors_bytes
from tests.conftest import start_app, stop_app
from tests.raw_api import call, call_index, login, upload

GOOD_GENERATE = ["dcgan-art-64", "mandala", 3, 1, 2.0, 64]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def public_url():
    url, proc, log = start_app({"GENART_PUBLIC": "1", "GENART_ALLOWED_REPOS": "owner/listed-gan",
                                "GENART_MAX_FILE_MB": "0.2"})
    yield url
    stop_app(proc, log)


def commit_gan(hub_server, repo_id: str, seed: int = 3) -> str:
    model = huggan_generator(seed=seed)
    return hub_server.repos.commit(repo_id, {"config.json": huggan_config(model),
                                             "model.safetensors": safetensors_bytes(model)})


def repo_requests(hub_server, repo_id: str) -> list[str]:
    return [r for r in hub_server.repos.requests if repo_id in r]


def test_public_mode_refuses_model_management_and_hides_it(public_url):
    for endpoint in ("download_model", "unload_model", "delete_model", "add_model"):
        message = call(public_url, endpoint, ["gpt2"]).error
        assert message and "does not let visitors" in message, (endpoint, message)
    config = httpx.get(f"{public_url}/config", timeout=30).json()
    manage = next(c for c in config["components"] if c["props"].get("elem_id") == "models-manage")
    assert manage["props"]["visible"] is False
    assert call(public_url, "models", []).error is None  # reading the table stays open
    assert call(public_url, "generate", GOOD_GENERATE).error is None


def test_public_mode_refuses_an_unlisted_hub_repo_before_any_download(public_url, hub_server):
    commit_gan(hub_server, "stranger/big-gan")
    message = call(public_url, "generate", ["hf-hub:stranger/big-gan", None, 1, 1, 2.0, 64]).error
    assert "loads only its listed Hub models" in message and "GENART_ALLOWED_REPOS" in message
    assert repo_requests(hub_server, "stranger/big-gan") == []
    commit_gan(hub_server, "owner/listed-gan")
    answer = call(public_url, "generate", ["hf-hub:owner/listed-gan", None, 1, 2, 2.0, 64])
    assert answer.error is None and len(answer.output[0]) == 2


def test_a_private_server_keeps_management_open(app_url):
    message = call(app_url, "delete_model", ["text-art"]).error
    assert "ships with genart and cannot be deleted" in message  # refused for what it is, not for who asks


def test_a_download_over_the_cap_is_refused_before_it_starts(hub_server, monkeypatch):
    commit_gan(hub_server, "owner/capped-gan")
    monkeypatch.setenv("GENART_MAX_DOWNLOAD_MB", "0.001")
    with pytest.raises(GenartError, match=r"MB download and this server takes at most 0 MB"):
        hub.resolve(get_spec("hf-hub:owner/capped-gan"))
    assert not [r for r in repo_requests(hub_server, "owner/capped-gan") if r.startswith("GET") and "resolve" in r]


def test_a_download_takes_one_weights_format(hub_server):
    model = huggan_generator(seed=4)
    hub_server.repos.commit("owner/two-formats", {"config.json": huggan_config(model),
                                                  "model.safetensors": safetensors_bytes(model),
                                                  "pytorch_model.bin": bin_bytes(model)})
    folder = hub.resolve(get_spec("hf-hub:owner/two-formats")).folder
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "model.safetensors"]
    assert not [r for r in repo_requests(hub_server, "owner/two-formats") if "pytorch_model.bin" in r and "GET" in r]


SERVER_FILES = ["/etc/passwd", "/etc/hostname", str(ROOT / "README.md"), str(ROOT / "weights/dcgan-art-64/samples.png"),
                "/proc/self/environ", "/nonexistent/picture.png", "README.md", "../../../../etc/passwd",
                "/tmp/gradio/../../etc/passwd", "file:///etc/passwd", "http://127.0.0.1:1/x.png",
                "$HF_HOME/app.log"]  # the test run's own app log; $HF_HOME keeps the test's id the same in every process


@pytest.mark.parametrize("marked", [False, True], ids=["plain", "marked-as-file"])
@pytest.mark.parametrize("path", SERVER_FILES)
def test_server_files_are_never_read_whether_or_not_they_exist(app_url, path, marked):
    image = {"path": path.replace("$HF_HOME", os.environ["HF_HOME"])} | ({"meta": {"_type": "gradio.FileData"}} if marked else {})
    attempts = {
        "restore": ["median-filter", image, 25],
        "inpaint": ["telea", None, image, 0, 0, True],
        "stylize": ["fast-stained-glass", image, None, None, None, None, 1, 1, 1, 1, 64, 1.0, False, 1, 1, 10, 1, 0,
                    None],
        "compare": ["restore", ["median-filter"], {}, "", "", image, None, None, None, ""],
        "compare-audio": ["repair", ["silence"], {}, "", "", None, None, None, image, ""],
        "repair": ["lpc-interpolation", image, 0.5, 100, False],
        "replay": [image],
    }
    for endpoint, data in attempts.items():
        assert call(app_url, endpoint.partition("-")[0], data).error == NOT_AN_UPLOAD, (endpoint, path)


def test_an_upload_is_read_and_a_path_beside_it_is_not(app_url, tmp_path):
    from genart.data.procedural import render

    picture = tmp_path / "mine.png"
    render("mondrian", 1, 64).save(picture)
    uploaded = upload(app_url, picture)
    assert call(app_url, "restore", ["median-filter", uploaded, 25]).error is None
    beside = {"path": str(Path(uploaded["path"]).parent.parent / "other.png")}
    assert call(app_url, "restore", ["median-filter", beside, 25]).error == NOT_AN_UPLOAD


def test_send_to_events_do_not_read_server_files(app_url):
    """A gallery sent back by a hostile page (the Send to buttons' input) names a server file: refused."""
    config = httpx.get(f"{app_url}/config", timeout=30).json()
    kinds = {c["id"]: c["type"] for c in config["components"]}
    sends = [i for i, d in enumerate(config["dependencies"])
             if [kinds[c] for c in d["inputs"]][:1] in (["gallery"], ["imageslider"])]
    assert len(sends) >= 3
    for index in sends:
        inputs = config["dependencies"][index]["inputs"]
        payload = ([{"image": {"path": "/etc/passwd"}, "caption": None}] if kinds[inputs[0]] == "gallery"
                   else [{"path": "/etc/passwd"}, {"path": "/etc/passwd"}])
        answer = call_index(app_url, index, [payload] + [0] * (len(inputs) - 1))
        assert answer.error == NOT_AN_UPLOAD, index


@pytest.mark.parametrize("name", ["gpt2@../../x", "gpt2@..", "hf-hub:org/name@../../../etc", "hf-hub:../etc/x",
                                  "hf-hub:org/name@refs/../../x", "gpt2@/etc/passwd"])
def test_revisions_and_ids_cannot_walk_out_of_the_cache(app_url, name):
    message = call(app_url, "model_card", [name]).error
    assert message and ("is not a Hub revision" in message or "is not a Hub model id" in message), message


def test_a_burst_beyond_the_queue_is_told_the_server_is_busy_and_it_recovers(tmp_path):
    url, proc, log = start_app({"GENART_QUEUE_SIZE": "2", "GENART_CONCURRENCY": "1"})
    try:
        slow = ["gatys-random", None, None, None, None, None, 1, 1, 1, 1, 64, 1.0, False, 40, 1, 10, 1, 0, None]
        from genart.data.procedural import render

        content = tmp_path / "content.png"
        render("landscape", 1, 64).save(content)
        slow[1] = slow[2] = upload(url, content)
        answers = []
        threads = [threading.Thread(target=lambda: answers.append(call(url, "stylize", slow))) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        busy = [a.error for a in answers if a.error]
        assert busy and all("The server is busy: 2 requests are waiting" in m for m in busy), busy
        assert any(a.error is None for a in answers)
        assert call(url, "generate", GOOD_GENERATE).error is None
    finally:
        stop_app(proc, log)


def test_limits_are_all_documented():
    from genart.ui.limits import table

    security = (ROOT / "docs" / "SECURITY.md").read_text()
    for variable, _, default, _ in table():
        assert f"`{variable}`" in security and str(default) in security, variable
    for variable in ("GENART_PUBLIC", "GENART_ALLOWED_REPOS", "GENART_MAX_DOWNLOAD_MB", "GENART_OWNERS", "GENART_AUTH"):
        assert f"`{variable}`" in security, variable
    assert json.loads(json.dumps(table()))


def test_an_owner_logs_in_to_manage_models_and_a_long_stream_stops_at_the_time_limit(tmp_path):
    url, proc, log = start_app({"GENART_PUBLIC": "1", "GENART_AUTH": "owner:first-secret,guest:second-secret",
                                "GENART_OWNERS": "owner", "GENART_EVENT_SECONDS": "3"})
    try:
        assert call(url, "models", []).status == 401  # Gradio's login guards the whole app
        guest, owner = login(url, "guest", "second-secret"), login(url, "owner", "first-secret")
        assert "does not let visitors" in call(url, "unload_model", ["text-art"], cookies=guest).error
        answer = call(url, "unload_model", ["text-art"], cookies=owner)
        assert answer.error is None and answer.output[1] in ("text-art was not loaded.", "text-art: unloaded.")

        from genart.data.procedural import render

        picture = tmp_path / "content.png"
        render("landscape", 1, 64).save(picture)
        with open(picture, "rb") as f:
            path = httpx.post(f"{url}/gradio_api/upload", files={"files": ("c.png", f)}, cookies=owner).json()[0]
        image = {"path": path, "meta": {"_type": "gradio.FileData"}}
        gatys = ["gatys-random", image, image, None, None, None, 1, 1, 1, 1, 64, 1.0, False, 1000, 1, 10, 1, 0, None]
        answer = call(url, "stylize", gatys, cookies=owner)
        assert "reached the server's limit of 3 s" in answer.error
        assert call(url, "generate", GOOD_GENERATE, cookies=owner).error is None
    finally:
        stop_app(proc, log)


def test_an_upload_over_the_size_limit_is_refused(public_url, tmp_path):
    big = tmp_path / "big.png"
    big.write_bytes(os.urandom(300_000))
    with open(big, "rb") as f:
        r = httpx.post(f"{public_url}/gradio_api/upload", files={"files": ("big.png", f)}, timeout=60)
    assert r.status_code == 413 and "maximum allowed size of 200000 bytes" in r.text
    small = tmp_path / "small.png"
    from genart.data.procedural import render

    render("mandala", 2, 64).save(small)
    assert call(public_url, "restore", ["median-filter", upload(public_url, small), 25]).error is None


def test_every_event_that_runs_a_model_shares_one_concurrency_group():
    from genart.ui import build_demo

    by_name = {fn.api_name: fn for fn in build_demo().fns.values() if fn.api_name}
    for name in ("imagine", "generate", "interpolate", "encode", "inpaint", "restore", "stylize", "text", "reconstruct",
                 "between", "melody", "repair", "compare", "replay", "download_model", "add_model"):
        assert by_name[name].concurrency_id == "models", name


def test_the_download_progress_hook_survives_a_disabled_bar():
    """TQDM_DISABLE=1 makes every bar a disabled one, which has no description: the hook must not read it."""
    seen = []
    bar = hub._progress_bar(lambda fraction, desc: seen.append(fraction))(total=4, desc="files", disable=True)
    bar.update(1)
    bar.close()
    enabled = hub._progress_bar(lambda fraction, desc: seen.append(fraction))(total=4, desc="files", disable=False)
    enabled.update(2)
    enabled.close()
    assert seen == [0.5]


def test_a_repo_the_owner_added_loads_for_visitors_and_others_do_not(tmp_path, monkeypatch):
    from genart import access

    monkeypatch.setattr(access, "ADDED_FILE", tmp_path / "added.json")
    (tmp_path / "added.json").write_text(json.dumps([{"name": "hf-hub:owner/added-gan@main", "task": "generate"}]))
    monkeypatch.setenv("GENART_PUBLIC", "1")
    access.check_repo(get_spec("hf-hub:owner/added-gan"))
    access.check_repo(get_spec("gpt2"))
    with pytest.raises(GenartError, match="loads only its listed Hub models"):
        access.check_repo(get_spec("hf-hub:owner/other-gan"))
    monkeypatch.setenv("GENART_PUBLIC", "0")
    access.check_repo(get_spec("hf-hub:owner/other-gan"))


def test_every_file_input_of_the_app_reads_uploads_only():
    """A tab added later cannot forget the rule: every component that carries files and that some event reads."""
    import gradio as gr

    from genart.ui import build_demo

    demo = build_demo()
    inputs = {id(b): b for fn in demo.fns.values() for b in fn.inputs}.values()
    carriers = [b for b in inputs if isinstance(b, (gr.Image, gr.ImageEditor, gr.ImageSlider, gr.Gallery, gr.File,
                                                    gr.Audio, gr.Video, gr.Model3D))]
    assert len(carriers) >= 10
    assert all(getattr(b, "uploads_only", False) for b in carriers), [b.label for b in carriers]


def test_every_event_that_runs_a_model_asks_for_a_gpu_for_what_it_needs():
    """With the spaces package installed (as on a ZeroGPU Space) off ZeroGPU, spaces.GPU hands the function back;
    each model event carries its estimate, capped at the time limit, and a hostile argument does not break it."""
    import spaces  # noqa: F401  (installed by requirements-dev.txt, so on_gpu goes through spaces.GPU)

    from genart.ui import build_demo, gpu
    from genart.ui.compare_tab import run_compare
    from genart.ui.style_tab import run_stylize
    from genart.ui.text_tab import text_api

    by_name = {fn.api_name: fn for fn in build_demo().fns.values() if fn.api_name}
    for name in ("imagine", "generate", "interpolate", "encode", "inpaint", "restore", "stylize", "text", "reconstruct",
                 "between", "melody", "repair", "compare", "replay"):
        assert callable(getattr(by_name[name].fn, "gpu_seconds", None)), name

    def work(x):
        return x + 1

    assert gpu.on_gpu(5)(work) is work and work(1) == 2
    assert text_api.gpu_seconds("gpt2", "Hi", 200, 0.8, 0, 1.0, 0.0, 1.0, 0, "", 4, True) == 15 + 0.05 * 200 * 4
    gatys = ["gatys-random", None, None, None, None, None, 1, 1, 1, 1, 256, 1.0, False]
    assert run_stylize.gpu_seconds(*gatys, 100) == 40 and run_stylize.gpu_seconds(*gatys, 10**6) == 300
    assert run_stylize.gpu_seconds(*gatys, "lots") == 300
    compare = ["generate", ["a", "b"], "seed", "1, 2, 3"] + [None] * 20
    assert run_compare.gpu_seconds(*compare) == 30 * 2 * 3
    from genart.ui.melody_tab import run_melody
    assert run_melody.gpu_seconds("melody-lstm", "", 16, 0) == 15 + 2 * 16


def test_on_zerogpu_each_tab_default_model_is_placed_at_start_up(monkeypatch):
    from genart import runtime
    from genart.ui import STARTUP_MODELS, place_startup_models

    monkeypatch.setattr(runtime.MODELS, "capacity", runtime.MODELS.capacity)  # restored after the test
    monkeypatch.delenv("SPACES_ZERO_GPU", raising=False)
    assert place_startup_models() == []
    monkeypatch.setenv("SPACES_ZERO_GPU", "true")
    assert place_startup_models() == list(STARTUP_MODELS)
    loaded = {key.model for key in runtime.MODELS.keys()}
    assert set(STARTUP_MODELS) <= loaded


def visitor(url: str) -> httpx.Cookies:
    """A browser's first visit: the page sets the visitor cookie."""
    cookies = httpx.get(url, timeout=30).cookies
    assert len(cookies.get("genart_visitor", "")) == 32
    return cookies


def test_a_visitor_reads_only_their_own_history_whatever_ids_they_send(public_url):
    alice, mallory = visitor(public_url), visitor(public_url)
    assert alice["genart_visitor"] != mallory["genart_visitor"]
    assert call(public_url, "generate", GOOD_GENERATE, cookies=alice).error is None
    listing = ["", "", "", "", "", False, 0]
    mine = call(public_url, "history", listing, cookies=alice).output[0]
    assert mine["total"] >= 1 and mine["entries"][0]["model"] == "dcgan-art-64"
    ids = [e["id"] for e in mine["entries"]]
    forged = httpx.Cookies({"genart_visitor": "0" * 32})
    for cookies in (mallory, forged, None):  # another browser, a made-up cookie, none at all (a session of its own)
        assert call(public_url, "history", listing, cookies=cookies).output[0]["total"] == 0
        for endpoint, args in (("history_file", [ids[0]]), ("history_star", [ids[0], True]),
                               ("history_delete", [ids[0]])):
            answer = call(public_url, endpoint, args, cookies=cookies)
            assert answer.error == f"There is no entry {ids[0]} in your history; pick one from the History gallery."
        for nonsense in ([-1], ["1 OR 1=1"], [{"id": ids[0]}], [10**30]):
            assert call(public_url, "history_file", nonsense, cookies=cookies).error
    answer = call(public_url, "history_file", [ids[0]], cookies=alice)
    assert answer.error is None and answer.output[1]["model"] == "dcgan-art-64"
    assert call(public_url, "history", listing, cookies=alice).output[0]["total"] == mine["total"]


def test_a_vote_counts_once_for_the_visitor_who_was_shown_the_pair(public_url):
    alice, mallory = visitor(public_url), visitor(public_url)
    shown = call(public_url, "arena_round", ["generate", "", None], cookies=alice)
    assert shown.error is None
    a, b, text_a, text_b, token = shown.output
    assert a["path"].endswith("a.png") and b["path"].endswith("b.png") and (text_a, text_b) == ("", "")
    assert "did not show you" in call(public_url, "arena_vote", [token, "a"], cookies=mallory).error
    assert "did not show you" in call(public_url, "arena_vote", [token, "a"]).error
    assert "did not show you" in call(public_url, "arena_vote", ["made-up-token", "a"], cookies=alice).error
    revealed = call(public_url, "arena_vote", [token, "b"], cookies=alice).output[0]
    assert revealed["vote"] == "b" and revealed["model_a"] != revealed["model_b"]
    assert "already has your vote" in call(public_url, "arena_vote", [token, "a"], cookies=alice).error
    board = call(public_url, "arena_leaderboard", ["generate"]).output[0]
    assert {revealed["model_a"], revealed["model_b"]} <= {row["model"] for row in board}
