"""genart's CLIP against transformers' CLIPModel and OpenCLIP (test-only oracles) on small random models published in
each library's Hub layout, and its tokenizer against both libraries' tokenizers on awkward prompts."""
import gzip
import json

import ftfy
import open_clip
import pytest
import torch
import transformers
from open_clip.tokenizer import bytes_to_unicode, default_bpe
from PIL import Image
from safetensors.torch import save

from genart.errors import GenartError
from genart.pipelines.clip import clip_model, clip_scores, image_embeddings, text_embeddings, token_ids
from tests.checkpoints import saved_files

PROMPTS = [
    "a photo of a cat & dog!!", "Ünïcödé façade — naïve café", "日本語のテキスト", "emoji 🎨🖌️ art",
    "   spaces\t\ttabs\nnewline  ", "MIXED Case WORDS", "it's they're we've I'm you'll he'd",
    "punctuation... ?!?! ;;; ---", "numbers 12345 3.14159 1,000,000", "word " * 100, "a" * 300,
    "<|endoftext|> inside", "quotes \"double\" 'single' `back`", "ﬁ ligature ½ ① ＡＢＣ", "Ω≈ç√∫˜µ≤≥÷",
    "zero\u200bwidth", "e\u0301 combining", "http://example.com/path?x=1&y=2", "#hashtag @mention $money 100%",
    "Пейзаж с горами", "مرحبا بالعالم", "Ελληνικά γράμματα", "한국어 문장", "हिन्दी पाठ", "tabs\tand\rreturns",
    "(parentheses) [brackets] {braces}", "snake_case and kebab-case and CamelCase", "dots.between.words",
    "ALL CAPS SHOUTING!!!", "x" + "y" * 80, "don't stop believin'", "a mondrian of seven rectangles in red",
    "a mandala with twelve petals in teal and gold", "a stormy landscape at dusk with three mountain ranges",
    "€100 £50 ¥1000", "caf\u00e9 vs cafe\u0301", "1st 2nd 3rd 4th", "emoji-only 🌊🌋🌌", "~!@#$%^&*()_+",
    "\u00a0non-breaking\u00a0spaces", "repeated!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", "one two three " * 30, "Zürich über Straße",
    "a painting by Monet, oil on canvas, 1872", "<|startoftext|>", "line one\n\nline two", "ab" * 100,
    "mixed 日本 and english", "süß", "trailing space ",
]


def tokenizer_files(folder) -> dict[str, bytes]:
    """CLIP's BPE (the vocabulary OpenCLIP ships) written by transformers' CLIPTokenizer, as openai/clip-* repos
    hold it."""
    merges = gzip.open(default_bpe()).read().decode("utf-8").split("\n")[1:49152 - 256 - 2 + 1]
    units = list(bytes_to_unicode().values())
    vocab = units + [u + "</w>" for u in units] + ["".join(m.split()) for m in merges]
    vocab += ["<|startoftext|>", "<|endoftext|>"]
    tokenizer = transformers.CLIPTokenizer(vocab={t: i for i, t in enumerate(vocab)},
                                           merges=[tuple(m.split()) for m in merges])
    tokenizer.save_pretrained(folder)
    return {"tokenizer.json": (folder / "tokenizer.json").read_bytes()}, tokenizer


@pytest.fixture(scope="module")
def tokenizer(tmp_path_factory):
    return tokenizer_files(tmp_path_factory.mktemp("clip-tokenizer"))


def small_clip(seed: int, vision_width: int = 48, vision_mlp: int = 80) -> transformers.CLIPModel:
    """A transformers CLIP with random weights, small enough for a test: 32 px images, 77-token prompts."""
    torch.manual_seed(seed)
    config = transformers.CLIPConfig(
        text_config=dict(hidden_size=32, intermediate_size=64, num_attention_heads=4, num_hidden_layers=2,
                         vocab_size=49408, max_position_embeddings=77),
        vision_config=dict(hidden_size=vision_width, intermediate_size=vision_mlp, num_attention_heads=4,
                           num_hidden_layers=2, image_size=32, patch_size=8),
        projection_dim=16)
    return transformers.CLIPModel(config).eval()


@pytest.fixture(scope="module")
def hf_reference() -> transformers.CLIPModel:
    return small_clip(0)


@pytest.fixture(scope="module")
def open_clip_reference() -> open_clip.CLIP:
    torch.manual_seed(1)
    model = open_clip.CLIP(24, open_clip.model.CLIPVisionCfg(layers=2, width=64, patch_size=8, image_size=32,
                                                             head_width=16),
                           open_clip.model.CLIPTextCfg(context_length=77, vocab_size=49408, width=32, heads=4,
                                                       layers=2))
    for p in model.parameters():  # OpenCLIP zero-initialises some biases; random ones make a wrong load show
        p.data.add_(torch.randn_like(p) * 0.02)
    return model.eval()


def publish_hf(hub_server, tmp_path, model, tokenizer, repo: str) -> str:
    files = saved_files(model, tmp_path / "hf") | tokenizer[0]
    hub_server.repos.commit(repo, files)
    return f"hf-hub:{repo}"


def publish_open_clip(hub_server, model, tokenizer, repo: str) -> str:
    vision, text = model.visual, model
    config = {"model_cfg": {"embed_dim": 24, "vision_cfg": {"image_size": 32, "layers": 2, "width": 64,
                                                            "patch_size": 8, "head_width": 16},
                            "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 32, "heads": 4,
                                         "layers": 2}},
              "preprocess_cfg": {"mean": list(open_clip.OPENAI_DATASET_MEAN), "std": list(open_clip.OPENAI_DATASET_STD)}}
    assert vision.transformer.width == 64 and text.transformer.width == 32
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    hub_server.repos.commit(repo, {"open_clip_config.json": json.dumps(config).encode(),
                                   "open_clip_model.safetensors": save(state)} | tokenizer[0])
    return f"hf-hub:{repo}"


def normalised(pixels: torch.Tensor) -> torch.Tensor:
    mean = torch.tensor(open_clip.OPENAI_DATASET_MEAN)[:, None, None]
    std = torch.tensor(open_clip.OPENAI_DATASET_STD)[:, None, None]
    return (pixels - mean) / std


def close(ours: torch.Tensor, theirs: torch.Tensor) -> bool:
    return bool(((ours - theirs).norm(dim=1) / theirs.norm(dim=1)).max() < 1e-5)


def test_embeddings_match_transformers(hub_server, tmp_path, hf_reference, tokenizer):
    model = clip_model(publish_hf(hub_server, tmp_path, hf_reference, tokenizer, "someone/clip-tiny"))
    ids = token_ids(model, PROMPTS[:8])
    pixels = torch.rand(3, 3, 32, 32)
    with torch.no_grad():
        theirs_text = hf_reference.get_text_features(input_ids=ids).pooler_output
        theirs_image = hf_reference.get_image_features(pixel_values=normalised(pixels)).pooler_output
        assert close(model.module.encode_text(ids), theirs_text)
        assert close(model.module.encode_image(pixels), theirs_image)
    assert close(text_embeddings(model, PROMPTS[:8]), torch.nn.functional.normalize(theirs_text, dim=1))


def test_embeddings_match_open_clip(hub_server, open_clip_reference, tokenizer):
    model = clip_model(publish_open_clip(hub_server, open_clip_reference, tokenizer, "someone/open-clip-tiny"))
    assert model.module.config.activation == "gelu"  # LAION's OpenCLIP models; OpenAI's use quick_gelu
    ids = token_ids(model, PROMPTS[8:16])
    pixels = torch.rand(3, 3, 32, 32)
    with torch.no_grad():
        assert close(model.module.encode_text(ids), open_clip_reference.encode_text(ids))
        assert close(model.module.encode_image(pixels), open_clip_reference.encode_image(normalised(pixels)))


def test_token_ids_match_both_references_on_awkward_prompts(hub_server, tmp_path, hf_reference, tokenizer):
    assert len(PROMPTS) == 50
    model = clip_model(publish_hf(hub_server, tmp_path, hf_reference, tokenizer, "someone/clip-tokens"))
    ids = token_ids(model, PROMPTS)
    theirs = tokenizer[1](PROMPTS, truncation=True, max_length=77, padding="max_length")["input_ids"]
    long = 0
    for prompt, row, expected, oc in zip(PROMPTS, ids.tolist(), theirs, open_clip.tokenize(PROMPTS).tolist()):
        ours = row[:row.index(49407) + 1]
        assert ours == expected[:expected.index(49407) + 1], prompt
        long += len(ours) == 77
        # OpenCLIP's own tokenizer also runs ftfy (ligatures, full-width letters) and does not know the markers as
        # tokens; on every other prompt it agrees, the cut at 77 included.
        if ftfy.fix_text(prompt) == prompt and "<|" not in prompt:
            assert ours == oc[:oc.index(49407) + 1], prompt
    assert long >= 3  # prompts cut at 77 tokens, the end marker kept last


def test_scores_are_bounded_and_differentiable_and_empty_prompts_are_refused(hub_server, tmp_path, hf_reference, tokenizer):
    model = clip_model(publish_hf(hub_server, tmp_path, hf_reference, tokenizer, "someone/clip-score"))
    image = Image.new("RGB", (50, 40), (200, 30, 30))
    scores = clip_scores(model, [image, image.rotate(90)], "a red square")
    assert len(scores) == 2 and all(0 <= s <= 100 for s in scores)
    batch = torch.rand(2, 3, 32, 32, requires_grad=True)
    image_embeddings(model, batch).sum().backward()  # differentiable, for guidance
    assert batch.grad is not None and batch.grad.abs().sum() > 0
    for empty in ("", "   \n\t"):
        with pytest.raises(GenartError, match="no words CLIP can read"):
            text_embeddings(model, [empty])
