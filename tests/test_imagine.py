"""Text to image: captions that are true of their pictures, text2art from the loopback Hub and shipped, BigGAN steered
by CLIP on random weights (it raises the similarity it optimises, replays pixel for pixel, and stops), the CLI."""
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from genart import runtime
from genart.checkpoint_io import save_hub_folder
from genart.data import captions
from genart.data.procedural import CLASSES, render_described
from genart.errors import GenartError
from genart.models.text2art import Text2ArtConfig, Text2ArtGenerator
from genart.pipelines.clip import clip_model, image_embeddings, pixels, text_embeddings
from genart.pipelines.imagine import ImagineSettings, imagine
from genart.replay import read_record
from genart.ui.common import StopRequest
from genart.ui.imagine_panel import run_imagine
from tests.test_biggan import publish, small_biggan
from tests.test_clip import publish_hf, small_clip, tokenizer_files

ROOT = Path(__file__).resolve().parent.parent


def test_captions_name_the_renderers_facts_and_the_pictures_colours():
    image, facts = render_described("mondrian", 3)
    colours = captions.dominant_colours(image)
    said = captions.phrasings("mondrian", facts, colours)
    assert f"{captions.number(facts['rectangles'])} rectangles" in said[0]
    assert all(c in said[1] for c in colours) and colours
    landscape, facts = render_described("landscape", 5)
    assert facts["time"] in captions.phrasings("landscape", facts, captions.dominant_colours(landscape))[0]
    # the colour namer reads plain colours as their names
    from PIL import Image
    for rgb, name in (((220, 30, 25), "red"), ((20, 40, 160), "blue"), ((245, 240, 230), "white"), ((5, 5, 5), "black"),
                      ((30, 160, 60), "green"), ((250, 210, 20), "yellow")):
        assert captions.dominant_colours(Image.new("RGB", (8, 8), rgb)) == [name]
    assert captions.words("7 petals, TEAL!") == ["seven", "petals", "teal"]


def test_held_out_pairs_leave_every_class_and_colour_seen():
    for name, colour in captions.HELD_OUT:
        assert name in CLASSES and colour in captions.COLOURS
    assert len({name for name, _ in captions.HELD_OUT}) == len(CLASSES)
    assert captions.held_out("mondrian", ["white", "blue"]) and not captions.held_out("mondrian", ["white", "red"])


def tiny_text2art(folder: Path) -> dict[str, bytes]:
    torch.manual_seed(0)
    config = Text2ArtConfig(vocab=sorted({"a", "red", "blue", "mandala", "mondrian", "petals", "twelve"}), word_dim=8,
                            text_dim=16, cond_dim=8, latent_dim=16, hidden_size=8)
    save_hub_folder(Text2ArtGenerator(config).eval(), config, folder, torch.float16)
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_text2art_from_the_hub_draws_a_prompt_the_same_way_every_time(hub_server, tmp_path):
    hub_server.repos.commit("someone/text2art-tiny", tiny_text2art(tmp_path / "t2a"))
    model = "hf-hub:someone/text2art-tiny"
    *_, last = imagine(model, ImagineSettings(prompt="a red mandala with twelve glowing petals", seed=4, n=3))
    assert [a.image.size for a in last.artworks] == [(64, 64)] * 3
    assert last.artworks[1].record | {"index": 0} == last.artworks[0].record
    assert "glowing" in last.notice and "clip-vit-b32, which is not downloaded" in last.notice
    *_, alone = imagine(model, ImagineSettings(prompt="a red mandala with twelve glowing petals", seed=4, n=1))
    assert np.array_equal(np.asarray(alone.artworks[0].image), np.asarray(last.artworks[0].image))
    *_, other = imagine(model, ImagineSettings(prompt="a blue mondrian", seed=4, n=1))
    assert not np.array_equal(np.asarray(other.artworks[0].image), np.asarray(alone.artworks[0].image))
    for prompt, says in (("", "Write a prompt"), ("   ", "Write a prompt"), ("x" * 10_000, "use at most 1,000"),
                         ("gibberish words only", "knows none of the words")):
        with pytest.raises(GenartError, match=says):
            next(imagine(model, ImagineSettings(prompt=prompt)))
    with pytest.raises(GenartError, match="for the generate task, not imagine|is for the generate task"):
        next(imagine("dcgan-art-64", ImagineSettings()))


@pytest.fixture
def guided(hub_server, tmp_path):
    """A small BigGAN and a small CLIP, both with random weights, published to the loopback Hub."""
    runtime.MODELS.clear()
    gan = publish(hub_server, "someone/biggan-guided", small_biggan())
    clip = publish_hf(hub_server, tmp_path, small_clip(2, 32, 64), tokenizer_files(tmp_path), "someone/clip-guide")
    return gan, clip


def similarity(clip_name: str, image, prompt: str) -> float:
    clip = clip_model(clip_name)
    with torch.no_grad():
        return float(image_embeddings(clip, pixels([image], 32)) @ text_embeddings(clip, [prompt])[0])


def test_clip_guidance_raises_the_similarity_it_optimises_and_replays(guided):
    gan, clip = guided
    s = ImagineSettings(prompt="a red lighthouse", seed=3, n=1, truncation=0.5, steps=10, learning_rate=0.1,
                        cutouts=4, clip=clip)
    updates = list(imagine(gan, s))
    assert [u.step for u in updates] == [0, 5, 10] and updates[-1].done
    first, last = updates[0].artworks[0].image, updates[-1].artworks[0].image
    assert similarity(clip, last, s.prompt) > similarity(clip, first, s.prompt)
    record = updates[-1].artworks[0].record
    assert record["clip_score"] >= 0 and len(record["start_classes"]) == 3 and record["steps"] == 10
    again = list(imagine(gan, s))[-1].artworks[0].image
    assert np.array_equal(np.asarray(again), np.asarray(last))  # a replay on one device: the same pixels
    with pytest.raises(GenartError, match="truncation of at most 1"):
        next(imagine(gan, replace(s, truncation=2.0)))


def test_stop_ends_the_guided_loop_with_the_last_image(guided):
    gan, clip = guided
    request = StopRequest()
    stream = run_imagine(gan, "a red lighthouse", 1, 1, 0.5, 400, 0.05, 2, clip, request)
    gallery, status = next(stream)
    assert "step 0/400" in status and len(gallery) == 1
    request.pressed = True
    shown = list(stream)
    assert len(shown) == 1 and "stopped" in shown[0][1]


def test_the_command_line_draws_a_prompt_with_the_shipped_model(tmp_path):
    out = tmp_path / "drawn"
    done = subprocess.run([sys.executable, "-m", "genart", "imagine", "a mandala with twelve petals in teal",
                           "--n", "2", "--seed", "5", "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    files = sorted(out.glob("*.png"))
    assert [f.name for f in files] == ["5-0.png", "5-1.png"]
    record = read_record(files[0])
    assert (record["task"], record["model"], record["prompt"]) == ("imagine", "text2art-64",
                                                                    "a mandala with twelve petals in teal")
    refused = subprocess.run([sys.executable, "-m", "genart", "imagine", "   ", "--out", str(out)], capture_output=True,
                             text=True, cwd=ROOT)
    assert refused.returncode != 0 and "Write a prompt" in refused.stderr


def test_a_walk_between_two_prompts_starts_and_ends_at_each_prompts_image(hub_server, tmp_path):
    from genart.pipelines.imagine_walk import ImagineWalkSettings, imagine_walk

    hub_server.repos.commit("someone/text2art-walk", tiny_text2art(tmp_path / "t2a"))
    model = "hf-hub:someone/text2art-walk"
    walk = imagine_walk(model, ImagineWalkSettings(prompt="a red mandala", prompt_b="a blue mondrian", seed=2,
                                                   frames=5, truncation=1.0))
    assert len(walk.frames) == 5 and walk.record["task"] == "imagine_walk"
    for frame, prompt in ((walk.frames[0], "a red mandala"), (walk.frames[-1], "a blue mondrian")):
        *_, alone = imagine(model, ImagineSettings(prompt=prompt, seed=2, n=1, truncation=1.0))
        assert np.abs(np.asarray(frame, np.int16) - np.asarray(alone.artworks[0].image, np.int16)).max() <= 1
    assert walk.save(tmp_path / "walk.webp").stat().st_size > 0
    with pytest.raises(GenartError, match="cannot walk between prompts"):
        imagine_walk("biggan-clip-128", ImagineWalkSettings())
    with pytest.raises(GenartError, match="Write both prompts"):
        imagine_walk(model, ImagineWalkSettings(prompt_b="  "))
