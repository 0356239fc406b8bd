"""The running app driven through its API with gradio_client, as another program would."""
import numpy as np
import pytest
from gradio_client import Client
from PIL import Image

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


def test_bad_value_returns_the_sentence_and_the_app_keeps_serving(client):
    with pytest.raises(Exception, match="500 is greater than maximum value 64"):  # Gradio's own range check
        generate(client, 1, n=500)
    with pytest.raises(Exception, match="Unknown model 'dcgan-art-9000'"):
        generate(client, 1, model="dcgan-art-9000")
    gallery, _ = generate(client, 2, n=1)
    assert len(images(gallery)) == 1


def test_models_api_lists_the_registry(client):
    rows = client.predict(api_name="/models")
    assert {"dcgan-art-64", "procedural-art"} <= {r["name"] for r in rows}


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
