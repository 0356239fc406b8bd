"""Safe to share: what an anonymous visitor can send, sent as raw HTTP to a running app, to every endpoint and event.

Each bad request must get one sentence (never Gradio's bare "Error", a traceback, or genart's own catch-all), and a
good request must be served right after it.
"""
import base64
import io
import json
import math

import numpy as np
import pytest
from PIL import Image, PngImagePlugin

from genart.audio.midi import midi_bytes
from genart.audio.sound import Clip
from genart.audio.wav import wav_bytes
from genart.data.procedural import render
from tests.raw_api import call, call_index, upload

CATCH_ALL = "genart failed on this request"
GOOD_GENERATE = ["dcgan-art-64", "mandala", 3, 1, 2.0, 64]


def png_bytes(image: Image.Image, info=None) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def record_png(record, inputs: dict[str, str] | None = None) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("genart", record if isinstance(record, str) else json.dumps(record))
    for name, text in (inputs or {}).items():
        info.add_text(f"genart-input:{name}", text)
    return png_bytes(render("mandala", 1, 64), info)


@pytest.fixture(scope="module")
def files(app_url, tmp_path_factory):
    """Good and hostile files, uploaded as the page would upload them: name -> FileData payload."""
    folder = tmp_path_factory.mktemp("hostile")
    good = {"seed": 1, "label": "mandala", "truncation": 2.0, "size": 64, "n": 1, "index": 0}
    generate_record = {"version": 1, "task": "generate", "model": "dcgan-art-64", **good}
    melody_record = {"version": 1, "task": "melody", "model": "melody-lstm", "bars": 1, "seed": 1}
    text_bomb = PngImagePlugin.PngInfo()
    text_bomb.add_text("genart", "x" * (80 << 20), zip=True)  # 80 MB of text in an 80 kB chunk
    made = {
        "image.png": png_bytes(render("landscape", 2, 64)),
        "mask.png": png_bytes(Image.fromarray(np.pad(np.full((16, 16), 255, np.uint8), 24), "L")),
        "tiny.png": png_bytes(render("landscape", 2, 64).resize((8, 8))),
        "bomb.png": png_bytes(Image.new("1", (9000, 9000))),  # 81 M pixels in about 10 kB
        "text-bomb.png": png_bytes(render("mandala", 1, 64), text_bomb),
        "truncated.png": png_bytes(render("landscape", 2, 64))[:300],
        "not-an-image.png": b"this is not a picture",
        "record-wrong-types.png": record_png(generate_record | {"seed": "seven", "n": [1]}),
        "record-missing-fields.png": record_png({"version": 1, "task": "generate"}),
        "record-unknown-task.png": record_png({"version": 1, "task": "melt", "model": "dcgan-art-64"}),
        "record-model-number.png": record_png(generate_record | {"model": 12}),
        "record-not-json.png": record_png("{not json"),
        "record-list.png": record_png("[1, 2, 3]"),
        "record-newer.png": record_png(generate_record | {"version": 99}),
        "record-broken-base64.png": record_png({"version": 1, "task": "restore", "model": "median-filter",
                                                "noise_level": 25}, {"image": "%%%not base64%%%"}),
        "record-input-bomb.png": record_png({"version": 1, "task": "restore", "model": "median-filter",
                                             "noise_level": 25},
                                            {"image": base64.b64encode(png_bytes(Image.new("1", (9000, 9000))))
                                             .decode()}),
        "record-traversal.png": record_png(generate_record | {"model": "gpt2", "repo_id": "openai-community/gpt2",
                                                              "revision": "../../../../etc"}),
        "text.json": json.dumps({"genart": {"version": 1, "task": "text", "model": "text-art", "prompt": 5}}).encode(),
        "not-a-wav.wav": b"RIFF\x10\x00\x00\x00WAVEjunkjunk",
        "wav-huge-chunk.wav": b"RIFF\xff\xff\xff\xffWAVEdata\xff\xff\xff\x7f" + bytes(64),
        "wav-record-not-json.wav": wav_bytes(np.zeros(8, np.int16), 8000, {"a": 1}).replace(b'{"a": 1}', b'{"a"::1}'),
        "wav-record-wrong-types.wav": wav_bytes(np.zeros(8, np.int16), 8000, melody_record | {"bars": "many"}),
        "tune.wav": Clip(np.sin(np.arange(16000) / 5).astype(np.float32) * 0.5, 8000).wav(),
        "midi-garbage.mid": b"MThd\x00\x00\x00\x06\x00\x01\x00\x01\x00\x60MTrk\xff\xff\xff\xff\x90",
        "midi-record-wrong-types.mid": midi_bytes([], 120, 0, melody_record | {"instrument": 7}),
        "broken.json": b"{\"genart\": ",
    }
    uploaded = {}
    for name, data in made.items():
        path = folder / name
        path.write_bytes(data)
        uploaded[name] = upload(app_url, path)
    return uploaded


def nan_body(value):
    return float("nan") if value == "NaN" else float("inf") if value == "Infinity" else value


def cases() -> list[tuple[str, str, object]]:
    """(id, endpoint, data or a function of the uploaded files -> data)."""
    out = []

    def vary(endpoint, good, index, values, label):
        for value in values:
            data = list(good)
            data[index] = value
            out.append((f"{endpoint}-{label}-{str(value)[:20]}", endpoint, data))

    gen = GOOD_GENERATE
    vary("generate", gen, 0, [None, 5, [], "", "x" * 10_000, "dcgan-art-9000", "hf-hub:../x",
                              "hf-hub:org/name@../../x", "hf-hub:a/b@" + "z" * 300, "text-art"], "model")
    vary("generate", gen, 1, [7, "unicorn", ["mandala"]], "label")
    vary("generate", gen, 2, [-1, 2**40, "x", [1], "NaN", None], "seed")
    vary("generate", gen, 3, [0, 65, "3", "NaN"], "n")
    vary("generate", gen, 4, [-1, 100, "x", "NaN", "Infinity"], "truncation")
    vary("generate", gen, 5, [0, 99999, "big"], "size")
    interp = ["dcgan-art-64", "mandala", 0, 1, 4, 12, "webp", 2.0]
    vary("interpolate", interp, 4, [1, 10_000, "many", "NaN"], "frames")
    vary("interpolate", interp, 5, [0, 1000], "fps")
    vary("interpolate", interp, 6, ["exe", 5, None], "format")
    vary("interpolate", interp, 2, [-5, "a"], "seed_a")
    vary("interpolate", [*interp, None, None, None], 9, ["/etc/passwd", 5, {"path": "/etc/passwd"}], "image_a")
    vary("encode", ["vae-art-64", None, ""], 0, ["dcgan-art-64", "text-art", None], "model")
    vary("encode", ["vae-art-64", None, ""], 2, ["unicorn", 5], "label")
    vary("reconstruct", ["text-art-vae", "«Quiet"], 0, ["text-art", "vae-art-64", None], "model")
    vary("reconstruct", ["text-art-vae", "«Quiet"], 1, [None, "", "  ", "x" * 20_000, " moon" * 80], "sentence")
    between = ["text-art-vae", "«Quiet", "«Tides", 5]
    vary("between", between, 3, [0, 2, 18, 10**9, "NaN", "many"], "steps")
    vary("between", between, 2, [None, "", "\n", " moon" * 80], "sentence_b")
    chat = ["text-art", "", ["Hi"], False, 4, 0, 0.8, 0, 1.0, 0.0, 1.0, ""]
    vary("chat", chat, 0, ["text-art", None, "hf-hub:x/y@.hidden"], "model")  # text-art has no chat template
    vary("chat", chat, 1, [5, "x" * 20_000], "system")
    vary("chat", chat, 2, ["Hi", [1], ["x" * 20_000], ["a"] * 201, [], ["Hi", "Yo"], {"a": 1}], "turns")
    vary("chat", chat, 3, ["yes", 2], "continue_reply")
    vary("chat", chat, 4, [0, 100_000, "NaN"], "max_new_tokens")
    text = ["text-art", "«Quiet", 4, 0.8, 0, 1.0, 0.0, 1.0, 0, "", 1, True]
    vary("text", text, 0, [None, 3, {"a": 1}, "gpt2@..", "hf-hub:x/y@.hidden"], "model")
    vary("text", text, 1, [None, 42, ["a"], "", "   "], "prompt")
    vary("text", text, 2, [0, 100_000, "NaN", "lots"], "max_new_tokens")
    vary("text", text, 3, [-1, 99, "NaN", "hot"], "temperature")
    vary("text", text, 4, [-3, 10**9, 0.5], "top_k")
    vary("text", text, 5, [0, 2, "NaN"], "top_p")
    vary("text", text, 6, [-0.5, 7], "min_p")
    vary("text", text, 7, [0, 50], "repetition_penalty")
    vary("text", text, 8, [-2, 2**64, "s"], "seed")
    vary("text", text, 9, ["\\x", "\\u12", 5, ["a"]], "stop")
    vary("text", text, 10, [0, 99, "two"], "n")
    vary("text", text, 11, ["yes", 3], "chat")
    out.append(("text-too-few-arguments", "text", ["text-art", "«Quiet"]))
    melody = ["melody-lstm", "D4 E4", 1, 0, 0.9, 0, 1.0, 120, "piano"]
    vary("melody", melody, 0, [None, 5, "text-art-lstm", "dcgan-art-64", "x" * 5000, "hf-hub:a/b@../x"], "model")
    vary("melody", melody, 1, [5, ["C4"], "C4 Q4", "C9", "C4:99", "C4 " * 5000], "primer")
    vary("melody", melody, 2, [0, 17, 10**9, "NaN", "many"], "bars")
    vary("melody", melody, 3, [-1, 2**64, "s"], "seed")
    vary("melody", melody, 4, [-1, "NaN", "hot"], "temperature")
    vary("melody", melody, 7, [0, 1e9, "NaN", "fast"], "tempo")
    vary("melody", melody, 8, ["kazoo", 5, None, ["piano"]], "instrument")
    repair = lambda f, i, v: [v if j == i else x for j, x in enumerate(["lpc-interpolation", f["tune.wav"], 0.5, 100,  # noqa: E731
                                                                       False])]
    for index, values, label in ((0, [None, 5, "melody-lstm", "x" * 5000], "model"),
                                 (2, [-1, 1e9, "NaN", "soon", 1.99], "gap_start"),
                                 (3, [0, 10_000, "NaN", "long"], "gap_ms"), (4, ["yes", 2], "find_clicks")):
        for value in values:
            out.append((f"repair-{label}-{str(value)[:20]}", "repair", lambda f, i=index, v=value: repair(f, i, v)))
    for name in ("not-a-wav.wav", "wav-huge-chunk.wav", "midi-garbage.mid", "image.png", "bomb.png"):
        out.append((f"repair-{name}", "repair", lambda f, n=name: ["lpc-interpolation", f[n], 0.5, 100, False]))
    out.append(("repair-no-audio", "repair", ["lpc-interpolation", None, 0.5, 100, False]))
    out.append(("repair-audio-is-a-path", "repair", ["lpc-interpolation", {"path": "/etc/passwd"}, 0.5, 100, False]))
    out.append(("compare-repair-no-audio", "compare", ["repair", ["silence"], {}, "", "", None, None, None, None]))
    out.append(("compare-audio-is-a-picture", "compare", lambda f: ["repair", ["silence"], {}, "", "", None, None, None,
                                                                    f["image.png"]]))
    compare = ["generate", ["dcgan-art-64"], {"seed": 1}, "", "", None, None, None, None]
    vary("compare", compare, 0, ["melt", 5, None], "task")
    vary("compare", compare, 1, ["dcgan-art-64", [5], ["a"] * 50, [""], ["text-art"]], "models")
    vary("compare", compare, 2, ["seed=1", [1, 2], {"seed": "x"}, {"truncation": "NaN"}, {"n": 10**9}], "params")
    vary("compare", compare, 3, [["seed"], "colour", 7], "sweep")
    out.append(("compare-values-not-numbers", "compare", ["generate", ["dcgan-art-64"], {}, "seed", "a, b", None, None,
                                                          None, None]))
    out.append(("compare-too-many-values", "compare", ["generate", ["dcgan-art-64"], {}, "seed",
                                                       ",".join(map(str, range(50))), None, None, None, None]))
    out.append(("compare-image-is-text", "compare", ["restore", ["median-filter"], {}, "", "", "/etc/passwd", None,
                                                     None, None]))
    out.append(("compare-image-is-number", "compare", ["restore", ["median-filter"], {}, "", "", 5, None, None, None]))
    for name in ("bomb.png", "truncated.png", "not-an-image.png"):
        out.append((f"compare-{name}", "compare", lambda f, n=name: ["restore", ["median-filter"], {}, "", "", f[n],
                                                                     None, None, None]))
        out.append((f"restore-{name}", "restore", lambda f, n=name: ["median-filter", f[n], 25]))
        out.append((f"encode-{name}", "encode", lambda f, n=name: ["vae-art-64", f[n], ""]))
        out.append((f"stylize-{name}", "stylize", lambda f, n=name: ["fast-stained-glass", f[n], None, None, None,
                                                                     None, 1, 1, 1, 1, 64, 1.0, False, 1, 1, 10, 1,
                                                                     0, None]))
        out.append((f"inpaint-mask-{name}", "inpaint", lambda f, n=name: [
            "telea", {"background": f["image.png"], "layers": [], "composite": None}, f[n], 0, 0, True]))
    restore = lambda f: ["median-filter", f["image.png"], 25]  # noqa: E731
    out.append(("restore-noise-level", "restore", lambda f: ["median-filter", f["image.png"], 1e9]))
    out.append(("restore-model-for-another-task", "restore", lambda f: ["dcgan-art-64", f["image.png"], 25]))
    out.append(("restore-no-image", "restore", ["median-filter", None, 25]))
    assert restore
    out.append(("inpaint-no-image", "inpaint", ["telea", None, None, 0, 0, True]))
    out.append(("inpaint-grow", "inpaint", lambda f: ["telea", {"background": f["image.png"], "layers": [],
                                                                "composite": None}, f["mask.png"], 10_000, 0, True]))
    out.append(("inpaint-editor-is-text", "inpaint", ["telea", "a picture", None, 0, 0, True]))
    out.append(("stylize-size", "stylize", lambda f: ["fast-stained-glass", f["image.png"], None, None, None, None,
                                                      1, 1, 1, 1, 10**6, 1.0, False, 1, 1, 10, 1, 0, None]))
    out.append(("stylize-weights", "stylize", lambda f: ["adain", f["image.png"], f["image.png"], None, None, None,
                                                         -1, 1, 1, 1, 64, 1.0, False, 1, 1, 10, 1, 0, None]))
    out.append(("stylize-steps", "stylize", lambda f: ["gatys-random", f["image.png"], f["image.png"], None, None,
                                                       None, 1, 1, 1, 1, 64, 1.0, False, 10**7, 1, 10, 1, 0, None]))
    for name in ("bomb.png", "text-bomb.png", "truncated.png", "not-an-image.png", "record-wrong-types.png",
                 "record-missing-fields.png", "record-unknown-task.png", "record-model-number.png",
                 "record-not-json.png", "record-list.png", "record-newer.png", "record-broken-base64.png",
                 "record-input-bomb.png", "record-traversal.png", "text.json", "broken.json", "image.png",
                 "not-a-wav.wav", "wav-huge-chunk.wav", "wav-record-not-json.wav", "wav-record-wrong-types.wav",
                 "midi-garbage.mid", "midi-record-wrong-types.mid"):
        out.append((f"replay-{name}", "replay", lambda f, n=name: [f[n]]))
    out.append(("replay-nothing", "replay", [None]))
    out.append(("replay-number", "replay", [7]))
    for value in (None, 5, ["gpt2"], "x" * 5000, "hf-hub:a/b@../../../x", "nope"):
        out.append((f"model_card-{str(value)[:20]}", "model_card", [value]))
    return out


CASES = cases()


def test_the_matrix_has_at_least_100_cases():
    assert len(CASES) >= 100


@pytest.mark.parametrize("endpoint,data", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_bad_request_gets_one_sentence_and_the_next_good_one_is_served(app_url, files, endpoint, data):
    data = data(files) if callable(data) else data
    data = [nan_body(v) for v in data]
    answer = call(app_url, endpoint, data)
    message = answer.error
    if message is None and endpoint == "compare":  # a comparison whose every cell failed says why in each cell
        cells = answer.output[2]
        assert cells and all(cell.get("error") for cell in cells), cells
        message = cells[0]["error"]
    assert message, f"no sentence: {answer.events or answer.body}"
    assert "Traceback" not in message and CATCH_ALL not in message, message
    assert len(message) < 600 and "\n" not in message.strip(), message
    good = call(app_url, "generate", GOOD_GENERATE)
    assert good.error is None and len(good.output[0]) == 1


def test_every_event_answers_hostile_values_with_a_sentence(app_url):
    """Events without an API name are reachable by index: each gets a wrong type in every input at once."""
    import httpx

    config = httpx.get(f"{app_url}/config", timeout=30).json()
    components = {c["id"]: c for c in config["components"]}
    checked = 0
    for index, dependency in enumerate(config["dependencies"]):
        inputs = [components[i] for i in dependency["inputs"]]
        if not inputs or any(c["type"] == "state" for c in inputs) and len(inputs) == 1:
            continue
        for hostile in ({"path": "/etc/passwd"}, [[["x"]]]):
            answer = call_index(app_url, index, [hostile] * len(inputs), event_data={"index": "x", "value": None})
            message = answer.error
            if message is None:  # an event that takes any value (a refresh, a visibility toggle) did nothing wrong
                assert "/etc/passwd" not in json.dumps(answer.output or ""), dependency
                continue
            assert message and CATCH_ALL not in message and "Traceback" not in message, (dependency["targets"], message)
            checked += 1
    assert checked >= 20
    assert call(app_url, "generate", GOOD_GENERATE).error is None


def test_nan_in_json_is_refused_like_any_other_bad_number(app_url):
    answer = call(app_url, "generate", ["dcgan-art-64", "mandala", 1, 1, math.nan, 64])
    assert answer.error and "Truncation" in answer.error
