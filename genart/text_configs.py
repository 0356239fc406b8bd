"""Hugging Face config.json -> genart's decoder configs, refusing by name what the pure-torch models do not implement."""
from .errors import GenartError
from .models.gpt2 import GPT2Config
from .models.llama import ROPE_TYPES, LlamaConfig

LLAMA_FAMILY = ("llama", "mistral", "qwen2")


def refuse(name: str, what: str):
    raise GenartError(f"{name} uses {what}, which genart's text models do not implement.")


def gpt2_config(hf: dict, name: str) -> GPT2Config:
    activation = hf.get("activation_function", "gelu_new")
    if activation not in ("gelu_new", "gelu_pytorch_tanh"):
        refuse(name, f"the activation {activation!r}")
    return GPT2Config(vocab_size=hf["vocab_size"], n_positions=hf.get("n_positions", 1024), n_embd=hf["n_embd"],
                      n_layer=hf["n_layer"], n_head=hf["n_head"], n_inner=hf.get("n_inner"),
                      layer_norm_epsilon=hf.get("layer_norm_epsilon", 1e-5))


def llama_config(hf: dict, name: str) -> LlamaConfig:
    kind = hf["model_type"]
    # transformers 4 writes rope_theta + rope_scaling; transformers 5 writes rope_parameters.
    rope = dict(hf.get("rope_parameters") or {})
    theta = hf.get("rope_theta", rope.pop("rope_theta", 10000.0))
    scaling = dict(hf.get("rope_scaling") or rope)
    rope_type = scaling.get("rope_type", scaling.get("type", "default"))
    if rope_type not in ROPE_TYPES:
        refuse(name, f"RoPE scaling {rope_type!r}")
    if hf.get("hidden_act", "silu") != "silu":
        refuse(name, f"the activation {hf['hidden_act']!r}")
    if hf.get("mlp_bias"):
        refuse(name, "MLP biases")
    if kind == "qwen2" and hf.get("use_sliding_window"):
        refuse(name, "Qwen2's per-layer sliding window")
    attention_bias = bool(hf.get("attention_bias", False))
    heads = hf["num_attention_heads"]
    return LlamaConfig(
        vocab_size=hf["vocab_size"], hidden_size=hf["hidden_size"], intermediate_size=hf["intermediate_size"],
        num_hidden_layers=hf["num_hidden_layers"], num_attention_heads=heads,
        num_key_value_heads=hf.get("num_key_value_heads") or heads, head_dim=hf.get("head_dim"),
        rms_norm_eps=hf.get("rms_norm_eps", 1e-6), rope_theta=theta, rope_scaling=scaling if rope_type != "default" else {},
        max_position_embeddings=hf.get("max_position_embeddings", 2048),
        tie_word_embeddings=hf.get("tie_word_embeddings", kind != "llama" and kind != "mistral"),
        qkv_bias=kind == "qwen2" or attention_bias, o_bias=attention_bias,
        sliding_window=hf.get("sliding_window") if kind == "mistral" else None)
