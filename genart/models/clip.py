"""CLIP (Radford et al. 2021, arXiv:2103.00020): a ViT image tower and a causal text transformer, each projected into
one embedding space where a caption and an image it describes are near.

Module names follow transformers' CLIPModel, so its checkpoints load as they are; OpenCLIP's layout is mapped onto
them by genart.loaders (its fused attention weights split, its projections transposed).
"""
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class CLIPConfig:
    embed_dim: int = 512  # the shared embedding space
    image_size: int = 224
    patch_size: int = 32
    vision_width: int = 768
    vision_layers: int = 12
    vision_heads: int = 12
    vision_mlp: int = 3072
    vocab_size: int = 49408
    context_length: int = 77
    text_width: int = 512
    text_layers: int = 12
    text_heads: int = 8
    text_mlp: int = 2048
    activation: str = "quick_gelu"  # OpenAI's checkpoints; OpenCLIP's LAION ones use "gelu"
    layer_norm_eps: float = 1e-5
    image_mean: tuple[float, float, float] = (0.48145466, 0.4578275, 0.40821073)
    image_std: tuple[float, float, float] = (0.26862954, 0.26130258, 0.27577711)


def quick_gelu(x: torch.Tensor) -> torch.Tensor:
    return x * torch.sigmoid(1.702 * x)


ACTIVATIONS = {"quick_gelu": quick_gelu, "gelu": F.gelu}


class Attention(nn.Module):
    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads = heads
        self.q_proj, self.k_proj, self.v_proj, self.out_proj = (nn.Linear(width, width) for _ in range(4))

    def forward(self, x: torch.Tensor, causal: bool) -> torch.Tensor:
        B, T, W = x.shape
        q, k, v = (p(x).view(B, T, self.heads, W // self.heads).transpose(1, 2)  # (B, heads, T, head_dim)
                   for p in (self.q_proj, self.k_proj, self.v_proj))
        out = F.scaled_dot_product_attention(q, k, v, is_causal=causal)  # (B, heads, T, head_dim)
        return self.out_proj(out.transpose(1, 2).reshape(B, T, W))


class MLP(nn.Module):
    def __init__(self, width: int, hidden: int, activation: str):
        super().__init__()
        self.fc1, self.fc2, self.act = nn.Linear(width, hidden), nn.Linear(hidden, width), ACTIVATIONS[activation]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.act(self.fc1(x)))


class Layer(nn.Module):
    """A pre-norm transformer block."""

    def __init__(self, width: int, heads: int, hidden: int, config: CLIPConfig):
        super().__init__()
        self.layer_norm1 = nn.LayerNorm(width, eps=config.layer_norm_eps)
        self.self_attn = Attention(width, heads)
        self.layer_norm2 = nn.LayerNorm(width, eps=config.layer_norm_eps)
        self.mlp = MLP(width, hidden, config.activation)

    def forward(self, x: torch.Tensor, causal: bool) -> torch.Tensor:
        x = x + self.self_attn(self.layer_norm1(x), causal)
        return x + self.mlp(self.layer_norm2(x))


class Encoder(nn.Module):
    def __init__(self, width: int, layers: int, heads: int, hidden: int, config: CLIPConfig):
        super().__init__()
        self.layers = nn.ModuleList(Layer(width, heads, hidden, config) for _ in range(layers))

    def forward(self, x: torch.Tensor, causal: bool) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x, causal)
        return x


class VisionEmbeddings(nn.Module):
    def __init__(self, config: CLIPConfig):
        super().__init__()
        w, grid = config.vision_width, config.image_size // config.patch_size
        self.class_embedding = nn.Parameter(torch.zeros(w))
        self.patch_embedding = nn.Conv2d(3, w, config.patch_size, config.patch_size, bias=False)
        self.position_embedding = nn.Embedding(grid * grid + 1, w)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        patches = self.patch_embedding(pixels).flatten(2).transpose(1, 2)  # (B, W, g, g) -> (B, g * g, W)
        cls = self.class_embedding.expand(patches.shape[0], 1, -1).to(patches.dtype)  # (B, 1, W)
        return torch.cat([cls, patches], dim=1) + self.position_embedding.weight  # (B, g * g + 1, W)


class VisionTower(nn.Module):
    def __init__(self, config: CLIPConfig):
        super().__init__()
        w = config.vision_width
        self.embeddings = VisionEmbeddings(config)
        self.pre_layrnorm = nn.LayerNorm(w, eps=config.layer_norm_eps)  # transformers' spelling
        self.encoder = Encoder(w, config.vision_layers, config.vision_heads, config.vision_mlp, config)
        self.post_layernorm = nn.LayerNorm(w, eps=config.layer_norm_eps)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        """pixels (B, 3, S, S), normalised -> the class token's features (B, W)."""
        x = self.encoder(self.pre_layrnorm(self.embeddings(pixels)), causal=False)  # (B, g * g + 1, W)
        return self.post_layernorm(x[:, 0])


class TextEmbeddings(nn.Module):
    def __init__(self, config: CLIPConfig):
        super().__init__()
        self.token_embedding = nn.Embedding(config.vocab_size, config.text_width)
        self.position_embedding = nn.Embedding(config.context_length, config.text_width)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self.token_embedding(ids) + self.position_embedding.weight[:ids.shape[1]]  # (B, T, W)


class TextTower(nn.Module):
    def __init__(self, config: CLIPConfig):
        super().__init__()
        w = config.text_width
        self.embeddings = TextEmbeddings(config)
        self.encoder = Encoder(w, config.text_layers, config.text_heads, config.text_mlp, config)
        self.final_layer_norm = nn.LayerNorm(w, eps=config.layer_norm_eps)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """ids (B, T) with the end-of-text token the largest id of each row -> its features (B, W)."""
        x = self.final_layer_norm(self.encoder(self.embeddings(ids), causal=True))  # (B, T, W)
        return x[torch.arange(ids.shape[0], device=ids.device), ids.argmax(dim=1)]


class CLIP(nn.Module):
    def __init__(self, config: CLIPConfig):
        super().__init__()
        self.config = config
        self.vision_model = VisionTower(config)
        self.text_model = TextTower(config)
        self.visual_projection = nn.Linear(config.vision_width, config.embed_dim, bias=False)
        self.text_projection = nn.Linear(config.text_width, config.embed_dim, bias=False)
        self.logit_scale = nn.Parameter(torch.tensor(4.6052))

    def encode_image(self, pixels: torch.Tensor) -> torch.Tensor:
        """pixels (B, 3, S, S) in [0, 1] -> embeddings (B, embed_dim), not normalised."""
        mean = torch.tensor(self.config.image_mean, device=pixels.device, dtype=pixels.dtype)[:, None, None]
        std = torch.tensor(self.config.image_std, device=pixels.device, dtype=pixels.dtype)[:, None, None]
        return self.visual_projection(self.vision_model((pixels - mean) / std))

    def encode_text(self, ids: torch.Tensor) -> torch.Tensor:
        """token ids (B, T) -> embeddings (B, embed_dim), not normalised."""
        return self.text_projection(self.text_model(ids))


def from_transformers_config(c: dict) -> CLIPConfig:
    """transformers' CLIPConfig (config.json, model_type "clip")."""
    text, vision = c["text_config"], c["vision_config"]
    if text.get("hidden_act", "quick_gelu") != vision.get("hidden_act", "quick_gelu"):
        raise ValueError("the text and vision towers use different activations")
    return CLIPConfig(
        embed_dim=c.get("projection_dim", 512), image_size=vision.get("image_size", 224),
        patch_size=vision.get("patch_size", 32), vision_width=vision.get("hidden_size", 768),
        vision_layers=vision.get("num_hidden_layers", 12), vision_heads=vision.get("num_attention_heads", 12),
        vision_mlp=vision.get("intermediate_size", 3072), vocab_size=text.get("vocab_size", 49408),
        context_length=text.get("max_position_embeddings", 77), text_width=text.get("hidden_size", 512),
        text_layers=text.get("num_hidden_layers", 12), text_heads=text.get("num_attention_heads", 8),
        text_mlp=text.get("intermediate_size", 2048), activation=text.get("hidden_act", "quick_gelu"),
        layer_norm_eps=text.get("layer_norm_eps", 1e-5))


def from_open_clip_config(c: dict) -> CLIPConfig:
    """OpenCLIP's open_clip_config.json ({"model_cfg": ..., "preprocess_cfg": ...}) for its standard ViT CLIP."""
    model, pre = c["model_cfg"], c.get("preprocess_cfg", {})
    vision, text = model["vision_cfg"], model["text_cfg"]
    for key in ("hf_model_name", "timm_model_name"):
        if text.get(key) or vision.get(key):
            raise ValueError(f"towers from other libraries ({key}) are not a plain CLIP")
    vw, tw = vision["width"], text["width"]
    mlp_ratio = vision.get("mlp_ratio", 4.0)
    return CLIPConfig(
        embed_dim=model["embed_dim"], image_size=vision.get("image_size", 224), patch_size=vision["patch_size"],
        vision_width=vw, vision_layers=vision["layers"], vision_heads=vw // vision.get("head_width", 64),
        vision_mlp=int(vw * mlp_ratio), vocab_size=text.get("vocab_size", 49408),
        context_length=text.get("context_length", 77), text_width=tw, text_layers=text["layers"],
        text_heads=text.get("heads", 8), text_mlp=int(tw * text.get("mlp_ratio", 4.0)),
        activation="quick_gelu" if model.get("quick_gelu") else "gelu",
        image_mean=tuple(pre.get("mean", CLIPConfig.image_mean)), image_std=tuple(pre.get("std", CLIPConfig.image_std)))


# OpenCLIP's names -> transformers' (which this module uses): whole keys, then the parts of each block's keys.
OPEN_CLIP_KEYS = {
    "token_embedding.weight": "text_model.embeddings.token_embedding.weight",
    "positional_embedding": "text_model.embeddings.position_embedding.weight",
    "ln_final.weight": "text_model.final_layer_norm.weight", "ln_final.bias": "text_model.final_layer_norm.bias",
    "text_projection": "text_projection.weight", "logit_scale": "logit_scale",
    "visual.class_embedding": "vision_model.embeddings.class_embedding",
    "visual.positional_embedding": "vision_model.embeddings.position_embedding.weight",
    "visual.conv1.weight": "vision_model.embeddings.patch_embedding.weight",
    "visual.ln_pre.weight": "vision_model.pre_layrnorm.weight", "visual.ln_pre.bias": "vision_model.pre_layrnorm.bias",
    "visual.ln_post.weight": "vision_model.post_layernorm.weight",
    "visual.ln_post.bias": "vision_model.post_layernorm.bias", "visual.proj": "visual_projection.weight",
}
OPEN_CLIP_BLOCK = {"ln_1": "layer_norm1", "ln_2": "layer_norm2", "attn.out_proj": "self_attn.out_proj",
                   "mlp.c_fc": "mlp.fc1", "mlp.c_proj": "mlp.fc2"}
OPEN_CLIP_TOWERS = {"transformer.resblocks.": "text_model.encoder.layers.",
                    "visual.transformer.resblocks.": "vision_model.encoder.layers."}
OPEN_CLIP_TRANSPOSED = ("text_projection", "visual.proj")  # stored (in, out); a Linear's weight is (out, in)
# transformers' checkpoints from before 4.31 also hold these index buffers, which carry no weights.
INDEX_BUFFERS = ("text_model.embeddings.position_ids", "vision_model.embeddings.position_ids")


def from_open_clip(state: dict) -> dict:
    """An OpenCLIP state dict in this module's names: fused attention (in_proj) split into q, k and v."""
    out = {}
    for key, value in state.items():
        if key in OPEN_CLIP_KEYS:
            out[OPEN_CLIP_KEYS[key]] = value.T if key in OPEN_CLIP_TRANSPOSED else value
            continue
        prefix = next((p for p in sorted(OPEN_CLIP_TOWERS, key=len, reverse=True) if key.startswith(p)), None)
        if prefix is None:
            raise KeyError(f"an OpenCLIP key genart does not know: {key}")
        index, _, rest = key[len(prefix):].partition(".")
        block = f"{OPEN_CLIP_TOWERS[prefix]}{index}."
        if rest.startswith("attn.in_proj_"):  # (3W, W) or (3W,): q, k and v stacked
            kind = rest.removeprefix("attn.in_proj_")
            for name, part in zip(("q_proj", "k_proj", "v_proj"), value.chunk(3, dim=0)):
                out[f"{block}self_attn.{name}.{kind}"] = part
            continue
        module, _, param = rest.rpartition(".")
        if module not in OPEN_CLIP_BLOCK:
            raise KeyError(f"an OpenCLIP key genart does not know: {key}")
        out[f"{block}{OPEN_CLIP_BLOCK[module]}.{param}"] = value
    return out


def from_transformers(state: dict) -> dict:
    """transformers' CLIPModel state dict, less its index buffers."""
    return {k: v for k, v in state.items() if k not in INDEX_BUFFERS}
