"""Train text2art-64, the text-conditioned GAN (StackGAN stage I), on captioned procedural art; write a Hub folder.

    python -m genart.train.text2art --out weights/text2art-64

First the text encoder learns a joint embedding with a small image encoder (symmetric contrastive loss over a batch,
as Reed et al. 2016 train the encoder StackGAN uses); then it is frozen and the GAN trains on its embeddings: hinge
loss, a matching-aware discriminator (a real image with another image's caption counts as fake), conditioning
augmentation's KL term, MSGAN's mode-seeking term and DiffAugment. The shipped generator is an exponential moving
average. Captions whose class and colour pair is held out (data/captions.HELD_OUT) are never trained on.
"""
import copy
from pathlib import Path

import torch
import torch.nn.functional as F

from genart.checkpoint_io import save_hub_folder
from genart.data.caption_dataset import captioned_art
from genart.data.captions import words
from genart.models.text2art import ImageEncoder, MatchingDiscriminator, Text2ArtConfig, Text2ArtGenerator, TextEncoder
from genart.runtime import pick_device
from genart.train.common import TrainingLog, ema_update, optimise, run_main, write_run
from genart.train.diff_augment import diff_augment
from genart.train.gan_losses import mode_seeking_loss
from genart.train.text2art_checks import caption_ids, judge, recalibrate, sample_sheet


def kl_loss(mean: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mean, exp(logvar)) || N(0, I)), averaged over the batch: keeps the condition manifold smooth."""
    return 0.5 * (mean.pow(2) + logvar.exp() - 1 - logvar).sum(1).mean()


def train_text_encoder(config: Text2ArtConfig, images: torch.Tensor, ids: torch.Tensor, steps: int,
                       batch: int = 128) -> TextEncoder:
    """images uint8 (N, 3, 64, 64), ids (N, captions, T) -> a text encoder whose embedding of a caption is nearest its
    own image's among a batch (InfoNCE both ways)."""
    text, image = TextEncoder(config), ImageEncoder(config)
    scale = torch.nn.Parameter(torch.tensor(2.5))  # log of the similarity's temperature, learned as CLIP's is
    opt = torch.optim.Adam([*text.parameters(), *image.parameters(), scale], 1e-3)
    log = TrainingLog(steps, 250)
    for step in range(1, steps + 1):
        idx = torch.randint(len(images), (batch,))
        pick = ids[idx, torch.randint(ids.shape[1], (batch,))]  # (batch, T): one caption of each image
        a = F.normalize(text(pick), dim=1)  # (batch, text_dim)
        b = F.normalize(image(images[idx].float() / 127.5 - 1), dim=1)
        logits = scale.exp() * a @ b.T  # (batch, batch)
        target = torch.arange(batch)
        loss = (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2
        optimise(opt, loss)
        if log.due(step):
            log.add(step, contrastive=loss.item(), top1=(logits.argmax(1) == target).float().mean().item())
    return text.eval().requires_grad_(False)


def train(args):
    torch.manual_seed(args.seed)
    device = pick_device(args.device)
    data = captioned_art(args.per_class)
    keep = ~data["held_out"]
    captions = [c for c, k in zip(data["captions"], keep) if k]
    config = Text2ArtConfig(vocab=sorted({w for cs in captions for c in cs for w in words(c)}),
                            hidden_size=args.hidden_size)
    images = torch.from_numpy(data["images"][keep]).permute(0, 3, 1, 2).contiguous()  # (N, 3, 64, 64) uint8
    ids = torch.stack([caption_ids(config, cs) for cs in captions])  # (N, captions, T)
    gen = Text2ArtGenerator(config)
    gen.text.load_state_dict(train_text_encoder(config, images, ids, args.encoder_steps).state_dict())
    gen.text.requires_grad_(False)
    with torch.no_grad():  # the frozen encoder's embeddings of every caption: (N, captions, text_dim)
        embeddings = torch.stack([gen.text(ids[:, k]) for k in range(ids.shape[1])], dim=1)
    gen, disc = gen.to(device), MatchingDiscriminator(config).to(device)
    ema = copy.deepcopy(gen).eval()
    trained = [p for p in gen.parameters() if p.requires_grad]
    opt_g = torch.optim.Adam(trained, args.lr_g, betas=(0.0, 0.9))
    opt_d = torch.optim.Adam(disc.parameters(), args.lr_d, betas=(0.0, 0.9))
    schedules = [torch.optim.lr_scheduler.LambdaLR(o, lambda i: 1 - i / args.steps) for o in (opt_g, opt_d)]
    out = Path(args.out)
    log, best = TrainingLog(args.steps, args.log_every), -1.0
    B, noise_dim = args.batch_size, config.latent_dim + config.cond_dim
    for step in range(1, args.steps + 1):
        # Each caption twice, with two latents, for the mode-seeking term: rows i and i + B/2 share a condition.
        idx = torch.randint(len(images), (B // 2,)).repeat(2)
        emb = embeddings[idx, torch.randint(ids.shape[1], (B // 2,)).repeat(2)].to(device)  # (B, text_dim)
        wrong = emb.roll(B // 4, dims=0)  # another image's caption
        real = images[idx].to(device).float() / 127.5 - 1
        real = torch.where(torch.rand(B, 1, 1, 1, device=device) < 0.5, real, real.flip(3))
        noise = torch.randn(B, noise_dim, device=device)
        fake = gen(noise, emb)
        seen = diff_augment if args.diff_augment else (lambda x: x)
        loss_d = (torch.relu(1 - disc(seen(real), emb)).mean()
                  + 0.5 * torch.relu(1 + disc(seen(fake.detach()), emb)).mean()
                  + 0.5 * torch.relu(1 + disc(seen(real), wrong)).mean())
        optimise(opt_d, loss_d)
        _, mean, logvar = gen.augment(emb, noise[:, config.latent_dim:])
        loss_g = (-disc(seen(fake), emb).mean() + args.kl * kl_loss(mean, logvar)
                  + args.mode_seeking * mode_seeking_loss(fake, noise[:, :config.latent_dim]))
        optimise(opt_g, loss_g)
        for schedule in schedules:
            schedule.step()
        ema_update(ema, gen, args.ema if step > 500 else 0.0)
        if log.due(step):
            recalibrate(ema, embeddings, device)
            figures = judge(ema, device, args.check_per_class)
            entry = log.add(step, loss_d=loss_d.item(), loss_g=loss_g.item(), **figures)
            score = entry["class_agreement"] + entry["colour_agreement"]
            if score > best:  # the averaged generator that best follows held-out captions so far
                best = score
                save_hub_folder(ema, config, out, torch.float16)
                sample_sheet(ema, out / "samples.png", device, args.check_per_class)
    kept = max(log.entries, key=lambda e: e["class_agreement"] + e["colour_agreement"])["step"]
    write_run(out, "genart.train.text2art", args, log, device,
              {"train_images": len(images), "held_out_images": int(data["held_out"].sum()), "kept_step": kept,
               "vocabulary": len(config.vocab)})


def arguments(p):
    p.add_argument("--out", default="weights/text2art-64")
    p.add_argument("--steps", type=int, default=6000)
    p.add_argument("--encoder-steps", type=int, default=1500, help="steps of the text encoder's contrastive training")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--hidden-size", type=int, default=48)
    p.add_argument("--per-class", type=int, default=2000, help="rendered images per class, held-out ones included")
    p.add_argument("--lr-g", type=float, default=1e-4)
    p.add_argument("--lr-d", type=float, default=4e-4)
    p.add_argument("--kl", type=float, default=1.0, help="weight of conditioning augmentation's KL term")
    p.add_argument("--mode-seeking", type=float, default=1.0, help="weight of MSGAN's mode-seeking term")
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--diff-augment", action="store_true")
    p.add_argument("--check-per-class", type=int, default=200,
                   help="renders per class from which the held-out captions of each check are drawn")


def main(argv=None):
    run_main(__doc__, arguments, train, argv, log_every=500)


if __name__ == "__main__":
    main()
