"""Train the sentence VAE on the artwork grammar with text-art's tokenizer and write a Hub-format folder with its card.

    python -m genart.train.sentence_vae --out weights/text-art-vae

Posterior collapse (the decoder ignoring z) is held off by the known cures, each a flag: the KL weight annealed from
0 to 1 (--kl-warmup), word dropout on the decoder's inputs (--word-dropout), and free bits (--free-bits nats per
latent unit). The training log shows the KL term per sentence staying above zero.
"""
import json
import shutil
from pathlib import Path

import torch
from tokenizers import Tokenizer

from genart.checkpoint_io import save_hub_folder
from genart.data.art_tokenizer import END
from genart.data.text_corpus import corpus
from genart.metrics.sentence_vae_quality import held_out_lines, measure_model
from genart.models.sentence_vae import SentenceVAE, SentenceVAEConfig
from genart.runtime import pick_device
from genart.train.common import TrainingLog, optimise, run_main, write_run
from genart.train.sentence_vae_card import write_sentence_vae_card
from genart.train.vae_losses import free_bits, kl_per_unit, token_loss


def sentences(tokenizer: Tokenizer, lines: list[str], longest: int) -> tuple[torch.Tensor, torch.Tensor]:
    """-> ids (N, longest + 1) right-padded, each "<end> tokens... <end>", and each sentence's token count (N,)."""
    end = tokenizer.token_to_id(END)
    rows = [e.ids[1:][:longest] for e in tokenizer.encode_batch(lines)]  # without the post-processor's start token
    ids = torch.full((len(rows), longest + 2), end)
    for i, row in enumerate(rows):
        ids[i, 1:len(row) + 1] = torch.tensor(row)
    return ids, torch.tensor([len(r) for r in rows])


def batch_parts(ids: torch.Tensor, lengths: torch.Tensor, dropout: float, dropped: int, generator: torch.Generator):
    """A batch of sentences -> (encoder tokens, lengths, decoder inputs with word dropout, targets, target lengths)."""
    width = int(lengths.max())
    tokens = ids[:, 1:width + 1]  # (B, width): the words alone, for the encoder
    inputs = ids[:, :width + 1].clone()  # (B, width + 1): <end> first
    targets = ids[:, 1:width + 2].clone()  # (B, width + 1): the words, then <end>
    drop = torch.rand(inputs.shape, generator=generator) < dropout
    drop[:, 0] = False  # the start token is always seen
    inputs[drop] = dropped
    return tokens, lengths, inputs, targets, lengths + 1


def train(args):
    torch.manual_seed(args.seed)
    device = pick_device(args.device)
    tokenizer = Tokenizer.from_file(str(Path(args.tokenizer) / "tokenizer.json"))
    lines = corpus(args.train_lines, seed=args.corpus_seed)
    ids, lengths = sentences(tokenizer, lines, args.block_size - 2)
    config = SentenceVAEConfig(vocab_size=tokenizer.get_vocab_size(), n_embd=args.width, hidden_size=args.hidden,
                               latent_dim=args.latent_dim, n_positions=args.block_size)
    model = SentenceVAE(config).to(device).train()
    opt = torch.optim.AdamW(model.parameters(), args.lr, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, args.lr, total_steps=args.steps, pct_start=0.05)
    log, generator = TrainingLog(args.steps, args.log_every), torch.Generator().manual_seed(args.seed)
    for step in range(1, args.steps + 1):
        pick = torch.randint(len(ids), (args.batch_size,), generator=generator)
        tokens, lens, inputs, targets, target_lens = (t.to(device) for t in batch_parts(
            ids[pick], lengths[pick], args.word_dropout, config.dropped_word, generator))
        logits, mean, logvar = model(tokens, lens, inputs)
        nll = token_loss(logits, targets, target_lens).mean()
        kl = kl_per_unit(mean, logvar)
        weight = min(1.0, step / args.kl_warmup)
        optimise(opt, nll + weight * free_bits(kl, args.free_bits), clip=1.0, schedule=schedule)
        if log.due(step):
            log.add(step, nll=nll.item(), kl=kl.sum(1).mean().item(), kl_weight=weight)
    out = Path(args.out)
    save_hub_folder(model.eval(), config, out, dtype=torch.float16)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(Path(args.tokenizer) / name, out / name)
    model.half().float()  # measured as shipped
    figures, examples = measure_model(model.cpu(), tokenizer, set(lines), held_out_lines(500))
    summary = {"arch": "sentence-vae", "parameters": sum(p.numel() for p in model.parameters()),
               "vocab_size": config.vocab_size, "train_lines": args.train_lines, "corpus_seed": args.corpus_seed,
               "block_size": args.block_size, "kl_warmup": args.kl_warmup, "word_dropout": args.word_dropout,
               "free_bits": args.free_bits, "weights": "float16", **figures}
    run = write_run(out, "genart.train.sentence_vae", args, log, device, summary, examples=examples)
    write_sentence_vae_card(run, out)
    print(json.dumps(examples, indent=1, ensure_ascii=False))


def arguments(p):
    p.add_argument("--out", default="weights/text-art-vae")
    p.add_argument("--tokenizer", default="weights/text-art", help="the folder whose tokenizer.json it reads")
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--block-size", type=int, default=64, help="the longest sentence in tokens, with its two ends")
    p.add_argument("--width", type=int, default=192, help="embedding width")
    p.add_argument("--hidden", type=int, default=256, help="LSTM units, each way in the encoder")
    p.add_argument("--latent-dim", type=int, default=32)
    p.add_argument("--train-lines", type=int, default=100_000)
    p.add_argument("--corpus-seed", type=int, default=0)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--kl-warmup", type=int, default=1500, help="steps over which the KL weight rises from 0 to 1")
    p.add_argument("--word-dropout", type=float, default=0.25,
                   help="share of decoder inputs replaced by the dropped-word token, so the decoder must lean on z")
    p.add_argument("--free-bits", type=float, default=1.0, help="nats per latent unit the KL term does not charge for")


def main(argv=None):
    run_main(__doc__, arguments, train, argv)


if __name__ == "__main__":
    main()
