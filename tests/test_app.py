"""The running app driven through its API with gradio_client, as another program would."""
import zipfile
from pathlib import Path

import numpy as np
import pytest
from gradio_client import Client, handle_file
from PIL import Image

from genart.data.procedural import render
from genart.replay import read_record


@pytest.fixture(scope="module")
def client(app_url):
    return Client(app_url, verbose=False)


def images(gallery) -> list[np.ndarray]:
    return [np.asarray(Image.open(item["image"]["path"] if isinstance(item["image"], dict) else item["image"]))
            for item in gallery]


def generate(client, seed, n=4, label="mandala", model="dcgan-art-64", truncation=2.0, size=64):
    gallery, status = client.predict(model, label, seed, n, truncation, size, api_name="/generate")
    return gallery, status


def test_same_seed_same_images_other_seed_other_images(client):
    a, _ = generate(client, 5)
    b, _ = generate(client, 5)
    c, _ = generate(client, 6)
    assert all(np.array_equal(x, y) for x, y in zip(images(a), images(b)))
    assert not np.array_equal(images(a)[0], images(c)[0])


def test_batch_of_16_gives_16_images_of_64px_with_records(client):
    gallery, status = generate(client, 1, n=16, label="stained_glass")
    pics = images(gallery)
    assert len(pics) == 16 and all(p.shape == (64, 64, 3) for p in pics)
    assert "16 ×" in status
    path = gallery[0]["image"]["path"] if isinstance(gallery[0]["image"], dict) else gallery[0]["image"]
    assert read_record(path)["label"] == "stained_glass"


def test_interpolation_returns_an_animation(client):
    path = client.predict("dcgan-art-64", "landscape", 0, 1, 8, 12, "webp", 2.0, api_name="/interpolate")
    path = path["path"] if isinstance(path, dict) else path
    with Image.open(path) as anim:
        assert anim.is_animated and anim.n_frames == 8
    again, record, line = client.predict(handle_file(path), api_name="/replay")
    assert record["task"] == "interpolate" and record["seed_b"] == 1 and record["frames"] == 8
    assert file_path(again).endswith(".webp")
    assert Path(file_path(again)).read_bytes() == Path(path).read_bytes()
    assert "all 8 frames pixel for pixel the same" in line


def test_bad_value_returns_the_sentence_and_the_app_keeps_serving(client):
    with pytest.raises(Exception, match="500 is greater than maximum value 64"):  # Gradio's own range check
        generate(client, 1, n=500)
    with pytest.raises(Exception, match="Unknown model 'dcgan-art-9000'"):
        generate(client, 1, model="dcgan-art-9000")
    gallery, _ = generate(client, 2, n=1)
    assert len(images(gallery)) == 1


def test_models_api_lists_the_registry_with_what_is_downloaded(client):
    rows = {r["name"]: r for r in client.predict(api_name="/models")}
    assert {"dcgan-art-64", "procedural-art", "text-art", "adain", "gpt2"} <= rows.keys()
    assert rows["dcgan-art-64"]["cached"] and rows["dcgan-art-64"]["size_mb"] > 1
    assert rows["gpt2"]["repo_id"] == "openai-community/gpt2"
    assert client.predict("text-art", api_name="/model_card").startswith("---")  # the card's front matter
    with pytest.raises(Exception, match="ships with genart and cannot be deleted"):
        client.predict("text-art", api_name="/delete_model")


def test_a_hub_dcgan_typed_in_generates(client, hub_server):
    from tests.checkpoints import huggan_config, huggan_generator, safetensors_bytes

    model = huggan_generator(seed=21)
    sha = hub_server.repos.commit("huggan/app-dcgan", {"config.json": huggan_config(model),
                                                       "model.safetensors": safetensors_bytes(model)})
    gallery, status = generate(client, 3, n=2, label=None, model="hf-hub:huggan/app-dcgan")
    assert len(images(gallery)) == 2
    path = gallery[0]["image"]["path"] if isinstance(gallery[0]["image"], dict) else gallery[0]["image"]
    record = read_record(path)
    assert record["repo_id"] == "huggan/app-dcgan" and record["revision"] == sha and record["label"] is None


def test_text_streams_completions_and_ends_with_the_replay_record(client):
    job = client.submit(model="text-art", prompt="«Quiet", max_new_tokens=40, seed=5, n=2, api_name="/text")
    messages = list(job)
    last = messages[-1]
    assert len(messages) > 2 and last["done"] and not any(m["done"] for m in messages[:-1])
    assert len(last["texts"]) == 2 and all(last["texts"])
    for m in messages[:-1]:  # each message extends the one before
        assert all(last_text.startswith(text) for text, last_text in zip(m["texts"], last["texts"]))
    assert last["record"]["model"] == "text-art" and last["record"]["seed"] == 5 and last["tokens_per_second"] > 0


def test_text_bad_input_gets_the_sentence_and_the_app_keeps_serving(client):
    with pytest.raises(Exception, match="The prompt is empty"):
        client.predict(model="text-art", prompt="  ", api_name="/text")
    with pytest.raises(Exception, match="Temperature must be from 0.0 to 5.0"):
        client.predict(model="text-art", prompt="«Quiet", temperature=9, api_name="/text")
    with pytest.raises(Exception, match="is for the generate task, not text"):
        client.predict(model="dcgan-art-64", prompt="«Quiet", api_name="/text")
    with pytest.raises(Exception, match="There is no precision 'bf16'; pick one of: float32, int8"):
        client.predict(model="text-art", prompt="«Quiet", precision="bf16", api_name="/text")
    assert client.predict(model="text-art", prompt="«Quiet", max_new_tokens=5, api_name="/text")["done"]
    int8 = client.predict(model="text-art", prompt="«Quiet", max_new_tokens=5, precision="int8", api_name="/text")
    assert int8["done"] and int8["record"]["precision"] == "int8"


def test_stylize_returns_the_result_with_its_record(client, tmp_path):
    content, style = tmp_path / "content.png", tmp_path / "style.png"
    render("landscape", 5, 80).save(content)
    render("stained_glass", 7, 64).save(style)
    path, status = client.predict("gatys-random", handle_file(str(content)), handle_file(str(style)), None, None, None,
                                  1, 1, 1, 1, 64, 1.0, False, 6, 1.0, 10.0, 1.0, 0, None, api_name="/stylize")
    path = path["path"] if isinstance(path, dict) else path
    record = read_record(path)
    assert record["model"] == "gatys-random" and record["steps"] == 6 and "done" in status
    assert Image.open(path).size == (64, 64)
    with pytest.raises(Exception, match="needs a style image"):
        client.predict("gatys-random", handle_file(str(content)), None, None, None, None, 1, 1, 1, 1, 64, 1.0, False,
                       6, 1.0, 10.0, 1.0, 0, None, api_name="/stylize")


def test_inpaint_takes_an_editor_payload_and_keeps_unpainted_pixels(client, tmp_path):
    image, layer = tmp_path / "image.png", tmp_path / "layer.png"
    render("stained_glass", 8, 96).save(image)
    strokes = Image.new("RGBA", (96, 96), (0, 0, 0, 0))
    strokes.paste((255, 51, 102, 255), (40, 20, 70, 50))
    strokes.save(layer)
    editor = {"background": handle_file(str(image)), "layers": [handle_file(str(layer))],
              "composite": handle_file(str(image))}
    (before, after), status = client.predict("telea", editor, None, 0, 0, True, api_name="/inpaint")
    out = np.asarray(Image.open(after["path"] if isinstance(after, dict) else after))
    original = np.asarray(Image.open(image).convert("RGB"))
    painted = np.asarray(strokes)[..., 3] > 0
    assert np.array_equal(out[~painted], original[~painted]) and not np.array_equal(out[painted], original[painted])
    assert "telea" in status and read_record(after["path"] if isinstance(after, dict) else after)["model"] == "telea"
    empty = {"background": handle_file(str(image)), "layers": [], "composite": handle_file(str(image))}
    _, status = client.predict("telea", empty, None, 0, 0, True, api_name="/inpaint")
    assert "mask is empty" in status


def test_restore_removes_salt_and_pepper(client, tmp_path):
    from genart.data.damage import salt_and_pepper

    clean = np.asarray(render("landscape", 2, 96))
    noisy = tmp_path / "noisy.png"
    Image.fromarray(salt_and_pepper(clean, 0.1, 1)).save(noisy)
    (_, after), status = client.predict("median-filter", handle_file(str(noisy)), 25, api_name="/restore")
    out = np.asarray(Image.open(after["path"] if isinstance(after, dict) else after)).astype(float)
    damaged = np.asarray(Image.open(noisy)).astype(float)
    assert np.abs(out - clean).mean() < np.abs(damaged - clean).mean() / 3


def file_path(value) -> str:
    return value["path"] if isinstance(value, dict) else value


def test_compare_api_runs_three_models_on_one_image_and_returns_grid_zip_and_cells(client, tmp_path):
    image, mask = tmp_path / "image.png", tmp_path / "mask.png"
    render("stained_glass", 3, 96).save(image)
    hole = np.zeros((96, 96), np.uint8)
    hole[20:50, 30:80] = 255
    Image.fromarray(hole).save(mask)
    grid, archive, cells = client.predict("inpaint", ["inpaint-art", "telea", "mean-fill"], {"feather": 0}, "grow",
                                          "0, 6", handle_file(str(image)), handle_file(str(mask)), None,
                                          api_name="/compare")
    assert [(c["model"], c["grow"]) for c in cells] == [("inpaint-art", 0), ("telea", 0), ("mean-fill", 0),
                                                        ("inpaint-art", 6), ("telea", 6), ("mean-fill", 6)]
    assert all("error" not in c and c["seconds"] > 0 for c in cells)
    record = read_record(file_path(grid))
    assert record["task"] == "compare" and record["models"] == ["inpaint-art", "telea", "mean-fill"]
    with zipfile.ZipFile(file_path(archive)) as z:
        assert len([n for n in z.namelist() if n.startswith("r")]) == 6
    with pytest.raises(Exception, match="Unknown model 'nope'"):
        client.predict("generate", ["nope"], {}, "", "", None, None, None, api_name="/compare")


def test_replay_api_remakes_a_generated_png_and_says_it_matches(client):
    gallery, _ = generate(client, 77, n=3, label="landscape")
    saved = gallery[2]["image"]["path"] if isinstance(gallery[2]["image"], dict) else gallery[2]["image"]
    again, record, line = client.predict(handle_file(saved), api_name="/replay")
    assert record["seed"] == 77 and record["index"] == 2
    assert np.array_equal(np.asarray(Image.open(file_path(again))), np.asarray(Image.open(saved)))
    assert "pixel for pixel" in line
    with pytest.raises(Exception, match="carries no genart record"):
        plain = Path(saved).with_name("plain.png")
        Image.open(saved).save(plain)
        client.predict(handle_file(str(plain)), api_name="/replay")


def test_imagine_draws_a_prompt_called_with_keyword_arguments(client):
    gallery, status = client.predict(model="text2art-64", prompt="a red mondrian with black lines", seed=3, n=4,
                                     api_name="/imagine")
    assert len(images(gallery)) == 4 and all(i.shape == (64, 64, 3) for i in images(gallery)) and "done" in status
    first = gallery[0]["image"]
    record = read_record(Path(first["path"] if isinstance(first, dict) else first))
    assert (record["task"], record["prompt"], record["seed"]) == ("imagine", "a red mondrian with black lines", 3)
    for prompt, says in (("   ", "Write a prompt"), ("z" * 10_000, "use at most 1,000"),
                         ("qwerty uiop", "knows none of the words")):
        with pytest.raises(Exception, match=says):
            client.predict(model="text2art-64", prompt=prompt, api_name="/imagine")
    with pytest.raises(Exception, match="greater than maximum value 1000"):
        client.predict(model="text2art-64", prompt="a mandala", steps=10**9, api_name="/imagine")


def test_outputs_made_through_the_api_are_kept_in_history_with_their_records(client):
    client.predict("dcgan-art-64", "geometric", 4242, 1, 2.0, 64, api_name="/generate")
    client.predict("dcgan-art-64", "geometric", 4242, 4243, 4, 8, "gif", 2.0, api_name="/interpolate")
    *_, last = client.submit(model="text-art", prompt="«History of", max_new_tokens=8, api_name="/text")
    wav, midi, roll, record = client.predict(model="melody-lstm", bars=1, seed=4242, api_name="/melody")
    found = {}
    for entry in client.predict(api_name="/history")["entries"]:  # newest first: each task's newest entry
        found.setdefault(entry["task"], entry)
    assert {"generate", "interpolate", "text", "melody"} <= set(found)
    assert (found["interpolate"]["kind"], found["text"]["kind"], found["melody"]["kind"]) == ("animation", "text",
                                                                                               "audio")
    assert found["text"]["prompt"] == "«History of"
    kept, kept_record = client.predict(found["melody"]["id"], api_name="/history_file")
    assert kept_record == record and Path(file_path(kept)).read_bytes() == Path(file_path(wav)).read_bytes()
