"""Train text2art-64, the text-conditioned GAN (StackGAN stage I), on captioned procedural art; write a Hub folder.

    python -m genart.train.text2art --out weights/text2art-64

First the text encoder learns a joint embedding with a small image encoder (symmetric contrastive loss over a batch,
as Reed et al. 2016 train the encoder StackGAN uses); then it is frozen and the GAN trains on its embeddings: hinge
loss, a matching-aware discriminator (a real image with another image's caption counts as fake) with an auxiliary
class head (AC-GAN, the class the renderer drew) and, with --colour-weight, a colour head (the colours the caption
names), conditioning augmentation's KL term, MSGAN's mode-seeking term and
DiffAugment. The shipped generator is an exponential moving average. Captions whose class and colour pair is held
out (data/captions.HELD_OUT) are never trained on.

With --resume a trained text2art folder goes on training (a fresh discriminator first learns alone for
--critic-warmup steps). With --generator-from the generator starts from the class-conditional DCGAN (dcgan-art-64), conditioning
augmentation is first fitted to that DCGAN's class embeddings, and with --later-lr 0 only conditioning augmentation
and the first layer train (a small --later-lr lets the later layers follow slowly): on a CPU this is what learns to
follow captions in under an hour, where the same GAN from random weights stayed near chance (the card has the runs).
"""
import copy
from pathlib import Path

import torch
import torch.nn.functional as F

from genart.checkpoint_io import save_hub_folder
from genart.data.caption_dataset import captioned_art
from genart.data.captions import COLOURS, words
from genart.data.procedural import CLASSES
from genart.models.dcgan import DCGANConfig, DCGANGenerator
from genart.models.text2art import ImageEncoder, MatchingDiscriminator, Text2ArtConfig, Text2ArtGenerator, TextEncoder
from genart.runtime import pick_device
from genart.train.common import TrainingLog, ema_update, optimise, run_main, start_from, write_run
from genart.train.diff_augment import diff_augment
from genart.train.gan_losses import mode_seeking_loss
from genart.train.text2art_checks import caption_ids, judge, recalibrate, sample_sheet

FIRST_BLOCK = 3  # model.0-2: the generator's first transposed convolution, its BatchNorm and ReLU
ALIGNED_LOGVAR = -4.0  # conditioning augmentation's log-variance after align_conditions: a std of 0.14


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


def from_dcgan(gen: Text2ArtGenerator, folder: str) -> torch.Tensor:
    """Starts the image half from a class-conditional DCGAN this project trained (dcgan-art-64): every layer as it
    is, the latent's input weights too; the first layer's weights for the class embedding go to the condition's first
    label_dim inputs, so that conditioning augmentation only has to learn to say which class a caption names.
    -> the DCGAN's class embeddings (num_classes, label_dim)."""
    dcgan = start_from(folder, DCGANConfig, DCGANGenerator)[1].state_dict()
    mine = gen.generator.state_dict()
    first = "model.0.weight"  # (latent + label_dim, 8h, 4, 4) in the DCGAN; (latent + cond_dim, 8h, 4, 4) here
    label_dim = dcgan[first].shape[0] - gen.config.latent_dim
    if label_dim > gen.config.cond_dim or dcgan[first].shape[1:] != mine[first].shape[1:]:
        raise SystemExit(f"{folder} is not a DCGAN of this generator's size (hidden_size {gen.config.hidden_size}, "
                         f"at most {gen.config.cond_dim} label dimensions).")
    weight = torch.zeros_like(mine[first])
    weight[:gen.config.latent_dim + label_dim] = dcgan[first]
    gen.generator.load_state_dict({k: v for k, v in dcgan.items() if k != "label_embedding.weight"} | {first: weight},
                                  strict=True)
    return dcgan["label_embedding.weight"]


def align_conditions(gen: Text2ArtGenerator, embeddings: torch.Tensor, labels: torch.Tensor, table: torch.Tensor,
                     steps: int, batch: int = 256) -> None:
    """Before the GAN: fits conditioning augmentation so that a caption's mean condition is the DCGAN's embedding of
    the class the caption names (zeros after it) with a small variance, the inputs the DCGAN's layers know.
    embeddings (N, captions, text_dim), labels (N,), table (num_classes, label_dim)."""
    cond_dim, label_dim = gen.config.cond_dim, table.shape[1]
    opt = torch.optim.Adam(gen.augment.parameters(), 1e-2)
    for _ in range(steps):
        idx = torch.randint(len(embeddings), (batch,))
        _, mean, logvar = gen.augment(embeddings[idx, torch.randint(embeddings.shape[1], (batch,))],
                                      torch.zeros(batch, cond_dim))
        target = torch.cat([table[labels[idx]], torch.zeros(batch, cond_dim - label_dim)], dim=1)  # (batch, cond_dim)
        optimise(opt, F.mse_loss(mean, target) + F.mse_loss(logvar, torch.full_like(logvar, ALIGNED_LOGVAR)))


def train(args):
    torch.manual_seed(args.seed)
    device = pick_device(args.device)
    data = captioned_art(args.per_class)
    keep = ~data["held_out"]
    captions = [c for c, k in zip(data["captions"], keep) if k]
    config = Text2ArtConfig(vocab=sorted({w for cs in captions for c in cs for w in words(c)}),
                            hidden_size=args.hidden_size, modulated_blocks=args.modulated_blocks)
    images = torch.from_numpy(data["images"][keep]).permute(0, 3, 1, 2).contiguous()  # (N, 3, 64, 64) uint8
    labels = torch.from_numpy(data["labels"][keep]).long()  # (N,) the renderer's class of each image
    colours = torch.tensor([[c in named for c in COLOURS] for named, k in zip(data["colours"], keep) if k],
                           dtype=torch.float32)  # (N, len(COLOURS)) the colours each image's captions name
    if args.resume:  # the saved generator, its text encoder and vocabulary as they are
        config, gen = start_from(args.resume, Text2ArtConfig, Text2ArtGenerator)
    ids = torch.stack([caption_ids(config, cs) for cs in captions])  # (N, captions, T)
    if not args.resume:
        gen = Text2ArtGenerator(config)
        gen.text.load_state_dict(train_text_encoder(config, images, ids, args.encoder_steps).state_dict())
    gen.text.requires_grad_(False)
    with torch.no_grad():  # the frozen encoder's embeddings of every caption: (N, captions, text_dim)
        embeddings = torch.stack([gen.text(ids[:, k]) for k in range(ids.shape[1])], dim=1)
    if args.generator_from and not args.resume:
        table = from_dcgan(gen, args.generator_from)
        align_conditions(gen, embeddings, labels, table, args.align_steps)
    from_gan = args.generator_from or args.resume
    later = [p for name, module in gen.generator.model.named_children() if int(name) >= FIRST_BLOCK
             for p in module.parameters()] if from_gan else []
    if from_gan and args.later_lr == 0:  # the DCGAN's later layers keep drawing as they do
        for p in later:
            p.requires_grad_(False)
    gen, disc = gen.to(device), MatchingDiscriminator(config, len(CLASSES), len(COLOURS)).to(device)
    ema = copy.deepcopy(gen).eval()
    first = [p for p in gen.parameters() if p.requires_grad and all(p is not q for q in later)]
    groups = [{"params": first}] + ([{"params": later, "lr": args.later_lr}] if later and args.later_lr else [])
    opt_g = torch.optim.Adam(groups, args.lr_g, betas=(0.0, 0.9))
    opt_d = torch.optim.Adam(disc.parameters(), args.lr_d, betas=(0.0, 0.9))
    schedules = [torch.optim.lr_scheduler.LambdaLR(o, lambda i: 1 - i / args.steps) for o in (opt_g, opt_d)]
    out = Path(args.out)
    log, best = TrainingLog(args.steps, args.log_every), -1.0
    B, noise_dim = args.batch_size, config.latent_dim + config.cond_dim
    autocast = torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.precision == "bf16")
    for step in range(1 - args.critic_warmup, args.steps + 1):
        # Real images, each with one of its captions, no image twice; the generated batch draws the same captions,
        # so that D's minibatch-stddev groups (rows i, i + B/4, ...) mix captions alike in both and the spread alone
        # cannot tell them apart.
        idx = torch.randperm(len(images))[:B]
        emb = embeddings[idx, torch.randint(ids.shape[1], (B,))].to(device)  # (B, text_dim)
        wrong = emb.roll(1, dims=0)  # another image's caption
        real, y, hues = images[idx].to(device).float() / 127.5 - 1, labels[idx].to(device), colours[idx].to(device)
        real = torch.where(torch.rand(B, 1, 1, 1, device=device) < 0.5, real, real.flip(3))
        noise = torch.randn(B, noise_dim, device=device)
        seen = diff_augment if args.diff_augment else (lambda x: x)
        with autocast:
            fake = gen(noise, emb)
            real_score, real_classes, real_colours = disc(seen(real), emb)
            loss_d = (torch.relu(1 - real_score).mean()
                      + 0.5 * torch.relu(1 + disc(seen(fake.detach()), emb)[0]).mean()
                      + 0.5 * torch.relu(1 + disc(seen(real), wrong)[0]).mean()
                      + args.ac_weight * F.cross_entropy(real_classes.float(), y)
                      + args.colour_weight * F.binary_cross_entropy_with_logits(real_colours.float(), hues))
        optimise(opt_d, loss_d)
        if step < 1:  # a fresh discriminator beside a resumed generator learns alone first
            continue
        with autocast:
            _, mean, logvar = gen.augment(emb, noise[:, config.latent_dim:])
            fake_score, fake_classes, fake_colours = disc(seen(fake), emb)
            loss_g = (-fake_score.mean() + args.kl * kl_loss(mean.float(), logvar.float())
                      + args.ac_weight * F.cross_entropy(fake_classes.float(), y)
                      + args.colour_weight * F.binary_cross_entropy_with_logits(fake_colours.float(), hues))
            if args.mode_seeking:  # a quarter of the captions again with other latents, for MSGAN's term
                q = B // 4
                again = torch.randn(q, noise_dim, device=device)
                pair = torch.cat([fake[:q], gen(again, emb[:q])]).float()
                loss_g = loss_g + args.mode_seeking * mode_seeking_loss(
                    pair, torch.cat([noise[:q, :config.latent_dim], again[:, :config.latent_dim]]))
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
                sample_sheet(ema, out / "samples.jpg", device, args.check_per_class)
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
    p.add_argument("--modulated-blocks", type=int, default=0,
                   help="how many of the generator's last BatchNorm layers the caption's embedding scales and shifts "
                        "(0 to 3; zero at the start, so a generator from --generator-from first draws as the DCGAN)")
    p.add_argument("--per-class", type=int, default=2000, help="rendered images per class, held-out ones included")
    p.add_argument("--lr-g", type=float, default=1e-4)
    p.add_argument("--lr-d", type=float, default=4e-4)
    p.add_argument("--kl", type=float, default=0.2, help="weight of conditioning augmentation's KL term")
    p.add_argument("--ac-weight", type=float, default=0.2,
                   help="weight of the auxiliary classifier (AC-GAN) on D's features: fitted to real images' classes, "
                        "it charges the generator for images that do not read as their caption's class")
    p.add_argument("--colour-weight", type=float, default=0.0,
                   help="weight of the auxiliary colour head on D's features: fitted to the colours real images' "
                        "captions name, it charges the generator for images without the colours their caption asks")
    p.add_argument("--mode-seeking", type=float, default=1.0, help="weight of MSGAN's mode-seeking term")
    p.add_argument("--generator-from", default=None, metavar="FOLDER",
                   help="start the generator from a class-conditional DCGAN folder of the same size (e.g. "
                        "weights/dcgan-art-64) instead of random weights")
    p.add_argument("--align-steps", type=int, default=500,
                   help="with --generator-from: steps fitting conditioning augmentation to the DCGAN's class "
                        "embeddings before the GAN starts")
    p.add_argument("--later-lr", type=float, default=1e-4,
                   help="with --generator-from: the learning rate of the generator's layers after its first (0: they "
                        "stay as the DCGAN has them, and only conditioning augmentation and the first layer train)")
    p.add_argument("--resume", default=None, metavar="FOLDER",
                   help="go on training a text2art folder this script wrote (its text encoder and vocabulary kept); "
                        "the discriminator starts afresh, so give it --critic-warmup steps alone first")
    p.add_argument("--critic-warmup", type=int, default=0,
                   help="discriminator-only steps before the generator's first")
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--diff-augment", action="store_true")
    p.add_argument("--precision", choices=("fp32", "bf16"), default="fp32",
                   help="bf16 autocast for the GAN's steps (faster on a GPU and on CPUs with AVX-512 BF16)")
    p.add_argument("--check-per-class", type=int, default=200,
                   help="renders per class from which the held-out captions of each check are drawn")


def main(argv=None):
    run_main(__doc__, arguments, train, argv, log_every=500)


if __name__ == "__main__":
    main()
