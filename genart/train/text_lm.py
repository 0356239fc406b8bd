"""Train genart's small text models on the artwork grammar and write Hub-format folders with a model card.

    python -m genart.train.text_lm --arch gpt2 --out weights/text-art
    python -m genart.train.text_lm --arch lstm --out weights/text-art-lstm

Both read the same corpus through the same byte-level BPE, so their figures compare. The GPT-2 is saved in the
Hugging Face layout (transformers loads it as it is); the LSTM as a PyTorchModelHubMixin folder. Weights are saved in
float16 (half the size; they run in float32 on a CPU) and measured as saved.
"""
import json
import math
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

from genart.checkpoint_io import save_hub_folder
from genart.data.art_tokenizer import END, train_tokenizer
from genart.data.text_corpus import HELD_OUT_SEED, corpus
from genart.metrics.text_quality import grammar_figures, sample_lines
from genart.models.gpt2 import GPT2, GPT2Config, to_hf_state_dict
from genart.models.lstm_lm import LSTMConfig, LSTMLanguageModel
from genart.runtime import pick_device
from genart.train.common import TrainingLog, optimise, run_main, write_run
from genart.train.text_card import write_text_card

DEFAULT_LAYERS = {"gpt2": 4, "lstm": 2}


def token_stream(tokenizer, lines: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    """-> all lines as one (N,) token stream ("<end> line <end> line ... <end>") and the (L,) offsets where lines start."""
    encoded = [e.ids for e in tokenizer.encode_batch(lines)]  # each begins with the end token
    starts = torch.tensor([0, *[len(e) for e in encoded]]).cumsum(0)[:-1]
    stream = torch.tensor([t for e in encoded for t in e] + [tokenizer.token_to_id(END)])
    return stream, starts


def batch_at(stream: torch.Tensor, starts: torch.Tensor, block: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Blocks that begin at line starts, as a prompt does: inputs (B, block) and next-token targets (B, block)."""
    starts = starts[starts + block + 1 <= len(stream)]
    offsets = starts[:, None] + torch.arange(block + 1)  # (B, block + 1)
    chunk = stream[offsets]
    return chunk[:, :-1], chunk[:, 1:]


def init_weights(module: torch.nn.Module):
    """GPT-2's initialisation: N(0, 0.02) weights and zero biases, so the tied head starts near uniform."""
    for m in module.modules():
        if isinstance(m, (torch.nn.Linear, torch.nn.Embedding)):
            torch.nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, torch.nn.Linear) and m.bias is not None:
            torch.nn.init.zeros_(m.bias)


def build(args, vocab_size: int):
    layers = args.layers or DEFAULT_LAYERS[args.arch]
    if args.arch == "gpt2":
        config = GPT2Config(vocab_size=vocab_size, n_positions=args.block_size, n_embd=args.width, n_layer=layers,
                            n_head=args.width // 64)
        return GPT2(config), config
    config = LSTMConfig(vocab_size=vocab_size, n_embd=args.width, hidden_size=args.lstm_hidden, n_layer=layers,
                        n_positions=args.block_size, dropout=0.1 if layers > 1 else 0.0)
    return LSTMLanguageModel(config), config


def logits_of(model, x: torch.Tensor) -> torch.Tensor:
    B, T = x.shape
    if isinstance(model, GPT2):
        mask = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()[None, None]  # (1, 1, T, T)
        return model(x, torch.arange(T, device=x.device)[None].expand(B, T), mask)
    return model(x)


@torch.no_grad()
def validation_loss(model, stream, starts, block, device) -> float:
    model.eval()
    losses = [F.cross_entropy(logits_of(model, x.to(device)).flatten(0, 1), y.to(device).flatten()).item()
              for x, y in (batch_at(stream, s, block) for s in starts[:512].split(128))]
    model.train()
    return sum(losses) / len(losses)


def language_model_optimiser(model: torch.nn.Module, lr: float, steps: int):
    """-> AdamW (betas 0.9 / 0.95, weight decay 0.1) and its schedule: a linear warm-up over the first 5% of the steps,
    then a cosine decay to zero."""
    opt = torch.optim.AdamW(model.parameters(), lr, betas=(0.9, 0.95), weight_decay=0.1)
    warmup = max(1, steps // 20)
    return opt, torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1, (s + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * s / steps)))


def save_weights(model, config, out: Path, arch: str, end: int):
    """The model in float16 as a Hub folder: a GPT-2 in the Hugging Face layout (`end` is its bos and eos token), an
    LSTM as a PyTorchModelHubMixin folder."""
    out.mkdir(parents=True, exist_ok=True)
    if arch == "gpt2":
        state = {k: v.detach().cpu().half() for k, v in model.state_dict().items()}
        save_file(to_hf_state_dict(state), out / "model.safetensors", metadata={"format": "pt"})
        hf = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "activation_function": "gelu_new",
              "vocab_size": config.vocab_size, "n_positions": config.n_positions, "n_embd": config.n_embd,
              "n_layer": config.n_layer, "n_head": config.n_head, "layer_norm_epsilon": config.layer_norm_epsilon,
              "bos_token_id": end, "eos_token_id": end, "tie_word_embeddings": True}
        (out / "config.json").write_text(json.dumps(hf, indent=2) + "\n")
    else:
        save_hub_folder(model, config, out, dtype=torch.float16)


def save(model, config, tokenizer, out: Path, arch: str):
    save_weights(model, config, out, arch, tokenizer.token_to_id(END))
    tokenizer.save(str(out / "tokenizer.json"))
    (out / "tokenizer_config.json").write_text(json.dumps(
        {"bos_token": END, "eos_token": END, "model_max_length": config.n_positions}, indent=2) + "\n")


def train(args):
    torch.manual_seed(args.seed)
    device = pick_device(args.device)
    lines = corpus(args.train_lines, seed=args.corpus_seed)
    tokenizer = train_tokenizer(lines, args.vocab_size)
    stream, starts = token_stream(tokenizer, lines)
    val_stream, val_starts = token_stream(tokenizer, corpus(4096, seed=HELD_OUT_SEED))
    model, config = build(args, tokenizer.get_vocab_size())
    init_weights(model)
    model.to(device).train()
    params = sum(p.numel() for p in model.parameters())
    opt, schedule = language_model_optimiser(model, args.lr, args.steps)
    log = TrainingLog(args.steps, args.log_every)
    for step in range(1, args.steps + 1):
        x, y = batch_at(stream, starts[torch.randint(len(starts), (args.batch_size,))], args.block_size)
        loss = F.cross_entropy(logits_of(model, x.to(device)).flatten(0, 1), y.to(device).flatten())
        optimise(opt, loss, clip=1.0, schedule=schedule)
        if log.due(step):
            log.add(step, train_loss=loss.item(),
                    val_loss=validation_loss(model, val_stream, val_starts, args.block_size, device))
    out = Path(args.out)
    save(model, config, tokenizer, out, args.arch)
    figures, examples = shipped_figures(model, tokenizer, val_stream, val_starts, set(lines), args.block_size, device)
    summary = {"arch": args.arch, "parameters": params, "vocab_size": tokenizer.get_vocab_size(),
               "train_lines": args.train_lines, "corpus_seed": args.corpus_seed, "train_tokens": len(stream),
               "block_size": args.block_size, **figures}
    write_text_card(write_run(out, "genart.train.text_lm", args, log, device, summary, examples=examples), out)


def shipped_figures(model, tokenizer, val_stream, val_starts, training: set[str], block: int, device) -> tuple[dict, list]:
    """Validation loss and the grammar figures of the weights as shipped (rounded to float16), and five samples."""
    model.half().float().eval()
    lines = sample_lines(model, tokenizer, 500, block, temperature=1.0)
    val_loss = round(validation_loss(model, val_stream, val_starts, block, device), 4)
    return {"val_loss": val_loss, "weights": "float16", "temperature": 1.0, **grammar_figures(lines, training)}, lines[:5]


def arguments(p):
    p.add_argument("--arch", choices=("gpt2", "lstm"), default="gpt2")
    p.add_argument("--out", default="weights/text-art")
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--batch-size", type=int, default=24)
    p.add_argument("--block-size", type=int, default=96)
    p.add_argument("--width", type=int, default=256, help="embedding width (GPT-2: n_embd, 64 per head)")
    p.add_argument("--layers", type=int, default=None, help="default: 4 Transformer blocks, or 2 LSTM layers")
    p.add_argument("--lstm-hidden", type=int, default=448)
    p.add_argument("--vocab-size", type=int, default=1024)
    p.add_argument("--train-lines", type=int, default=100_000)
    p.add_argument("--corpus-seed", type=int, default=0)
    p.add_argument("--lr", type=float, default=1e-3)


def main(argv=None):
    run_main(__doc__, arguments, train, argv)


if __name__ == "__main__":
    main()
