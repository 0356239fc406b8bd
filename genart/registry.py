"""The model registry: plain-data ModelSpecs, the built-in table, and `hf-hub:org/name[@rev]` specs for any Hub repo."""
import dataclasses
import difflib
import re
from dataclasses import dataclass, field

from .errors import GenartError

TASKS = ("imagine", "generate", "inpaint", "restore", "style", "text", "melody", "repair")
# Models other tasks use as instruments, never run as a task of their own: CLIP scores and guides images.
HELPER_TASKS = ("clip",)
MODEL_TASKS = TASKS + HELPER_TASKS
IOPAINT_LAMA_MD5 = "e3aa4aaa15225a33ec84f9f4bc47e500"  # what IOPaint publishes for its big-lama.pt
HUB_PREFIX = "hf-hub:"
AUTO_ARCH = "auto"  # a Hub repo's architecture, detected from its files when it loads
# The Hub's rules for ids and revisions, checked before any path is built from them: an org and a name of letters,
# digits, '-', '_' and '.', each at most 96 long, starting and ending with a letter or digit, no '--' or '..'; a
# revision is a 40-hex commit or a branch or tag name (git's ref rules: no '..', no part starting with '.').
_HUB_PART = r"[A-Za-z0-9](?:[\w.-]{0,94}[A-Za-z0-9])?"
_HUB_ID = re.compile(rf"^{_HUB_PART}/{_HUB_PART}$")
_REVISION = re.compile(r"^[A-Za-z0-9_-](?:[\w./-]{0,198}[A-Za-z0-9_-])?$")
MAX_NAME = 300  # characters in a model name, revision included


@dataclass(frozen=True)
class ModelSpec:
    name: str
    task: str
    # A key of its task's method table (the pipeline module's TASK.methods); those with checkpoints are also keys of
    # genart.loaders.ARCHITECTURES. AUTO_ARCH: detected from the repo's files.
    arch: str
    description: str
    description_zh: str = ""  # the description in Simplified Chinese (genart/locale)
    license: str = "unknown"
    embedded: bool = False  # weights live in weights/<name>/ and need no network
    repo_id: str | None = None
    revision: str = "main"  # a full commit where one is known
    # The repo files this model cannot run without: what a Space preloads (`python -m genart space export`).
    preload: tuple[str, ...] = ()
    defaults: dict = field(default_factory=dict)
    # For checkpoints that live only on GitHub releases or plain https hosts: file name -> path under github.com, or
    # a https:// URL. The sha256 of the first download is recorded and checked on every later load.
    release_files: dict = field(default_factory=dict)
    # MD5s published by the files' distributor, checked before a file is used (TorchScript is code: it must match).
    published_md5: dict = field(default_factory=dict)
    # sha256s (or their leading hex digits, as torch.hub's file names carry them) published by the files'
    # distributor, checked before a file is used.
    published_sha256: dict = field(default_factory=dict)

    @property
    def source(self) -> str:
        if self.embedded:
            return f"weights/{self.name}"
        if self.repo_id:
            return f"{self.repo_id}@{self.revision}"
        if self.release_files:
            return ", ".join(path.removeprefix("https://") if path.startswith("https://") else
                             f"GitHub release: github.com/{path}" for path in self.release_files.values())
        return "built-in (no weights)"


BUILTIN: tuple[ModelSpec, ...] = (
    ModelSpec(
        name="text2art-64",
        task="imagine",
        arch="text2art",
        description="A text-conditioned GAN (StackGAN's stage I) trained here on procedural art with true captions: "
                    "classes, colours and counts in English words, 64x64, instant.",
        description_zh="一个以文本为条件的 GAN（StackGAN 的第一阶段），在这里用带真实描述的程序化艺术训练：类别、颜色和数量用英文词写，64x64，即时出图。",
        license="apache-2.0",
        embedded=True,
        defaults={"n": 8, "truncation": 2.0},
    ),
    *(ModelSpec(
        name=f"biggan-clip-{size}",
        task="imagine",
        arch="biggan",
        description=f"BigGAN-deep {size}x{size} steered by CLIP toward any prompt (FuseDream's recipe): starts from "
                    "the ImageNet classes nearest the prompt and optimises; seconds a step on a CPU, so few steps.",
        description_zh=f"由 CLIP 引导向任意提示词的 BigGAN-deep {size}x{size}（FuseDream 的做法）：从与提示词最接近的 ImageNet 类别出发再优化；在 CPU 上每步数秒，所以步数要少。",
        license="apache-2.0",
        repo_id=f"osanseviero/BigGAN-deep-{size}",
        preload=("config.json", "pytorch_model.bin"),
        defaults={"prompt": "a lighthouse on a cliff at sunset, oil painting", "n": 1, "truncation": 0.7,
                  "steps": 40},
    ) for size in (128, 256, 512)),
    ModelSpec(
        name="dcgan-art-64",
        task="generate",
        arch="dcgan",
        description="Class-conditional DCGAN trained here on genart's six classes of procedural art, 64x64.",
        description_zh="在这里用 genart 的六类程序化艺术训练的类别条件 DCGAN，64x64。",
        license="apache-2.0",
        embedded=True,
        defaults={"label": "landscape", "truncation": 2.0},
    ),
    ModelSpec(
        name="vae-art-64",
        task="generate",
        arch="vae",
        description="Class-conditional VAE trained here on the same procedural art as dcgan-art-64: blurrier samples, "
                    "and an encoder that takes your own image into its latent space.",
        description_zh="在与 dcgan-art-64 相同的程序化艺术上训练的类别条件 VAE：样本更模糊，另有一个能把你自己的图像送入潜空间的编码器。",
        license="apache-2.0",
        embedded=True,
        defaults={"label": "landscape", "truncation": 1.0},
    ),
    *(ModelSpec(
        name=f"biggan-deep-{size}",
        task="generate",
        arch="biggan",
        description=f"BigGAN-deep (Brock et al. 2019), DeepMind's class-conditional ImageNet GAN, {size}x{size}: the "
                    "1,000 ImageNet classes by name, with the truncation trick (lower: more typical). Slow on a CPU.",
        description_zh=f"BigGAN-deep（Brock 等，2019），DeepMind 的类别条件 ImageNet GAN，{size}x{size}：按名称选 1,000 个 ImageNet 类别，带截断技巧（越低越典型）。在 CPU 上较慢。",
        license="apache-2.0",
        repo_id=f"osanseviero/BigGAN-deep-{size}",
        preload=("config.json", "pytorch_model.bin"),
        defaults={"label": "golden retriever", "truncation": 0.4},
    ) for size in (128, 256, 512)),
    ModelSpec(
        name="procedural-art",
        task="generate",
        arch="procedural",
        description="The procedural renderer the GANs learn from: not a neural network, the real distribution.",
        description_zh="GAN 学习所用的程序化渲染器：不是神经网络，而是真实分布本身。",
        license="apache-2.0",
        defaults={"label": "landscape", "size": 64},
    ),
    ModelSpec(
        name="text-art",
        task="text",
        arch="gpt2",
        description="A 3.4M-parameter GPT-2 trained here on genart's grammar of artwork titles and descriptions.",
        description_zh="在这里用 genart 的艺术品标题与描述语法训练的 340 万参数 GPT-2（写英文）。",
        license="apache-2.0",
        embedded=True,
        defaults={"prompt": "«Quiet", "max_new_tokens": 64, "temperature": 0.8},
    ),
    ModelSpec(
        name="text-art-lstm",
        task="text",
        arch="lstm",
        description="An LSTM of about the same size, trained on the same corpus and tokenizer as text-art.",
        description_zh="规模相近的 LSTM，与 text-art 使用相同的语料和分词器（写英文）。",
        license="apache-2.0",
        embedded=True,
        defaults={"prompt": "«Quiet", "max_new_tokens": 64, "temperature": 0.8},
    ),
    ModelSpec(
        name="text-art-vae",
        task="text",
        arch="sentence-vae",
        description="A sentence VAE (Bowman et al. 2016) on the same corpus and tokenizer as text-art: samples from its "
                    "prior, reconstructs a sentence, and walks between two.",
        description_zh="句子 VAE（Bowman 等，2016），与 text-art 使用相同的语料和分词器（写英文）：从先验采样、重建句子、在两句之间漫游。",
        license="apache-2.0",
        embedded=True,
        defaults={"prompt": "«", "max_new_tokens": 48, "temperature": 0.8},
    ),
    ModelSpec(
        name="melody-lstm",
        task="melody",
        arch="lstm",
        description="MelodyRNN's shape (2 LSTM layers of 256 units), trained here on O'Neill's 1850 Irish tunes.",
        description_zh="MelodyRNN 的结构（2 层 256 单元的 LSTM），在这里用 O'Neill 1850 年的爱尔兰曲集训练。",
        license="apache-2.0",
        embedded=True,
        defaults={"primer": "D4 E4 F#4 G4:4 A4:4", "bars": 8, "temperature": 0.9},
    ),
    ModelSpec(
        name="melody-transformer",
        task="melody",
        arch="gpt2",
        description="A small GPT-2 on the same tunes and events as melody-lstm, to set a Transformer beside the RNN.",
        description_zh="在与 melody-lstm 相同的曲子和事件上训练的小型 GPT-2，让 Transformer 与 RNN 并列。",
        license="apache-2.0",
        embedded=True,
        defaults={"primer": "D4 E4 F#4 G4:4 A4:4", "bars": 8, "temperature": 0.9},
    ),
    ModelSpec(
        name="audio-repair-vae",
        task="repair",
        arch="repair-vae",
        description="A VAE-regularised U-Net over short-time spectra, trained here on rendered melodies: mixes the "
                    "forward and backward linear-prediction guesses bin by bin and corrects them.",
        description_zh="作用于短时频谱的 VAE 正则化 U-Net，在这里用渲染的旋律训练：逐频点混合前向与后向线性预测的猜测并加以修正。",
        license="apache-2.0",
        embedded=True,
    ),
    ModelSpec(
        name="lpc-interpolation",
        task="repair",
        arch="lpc",
        description="Linear prediction (order 256) from 0.2 s each side of the gap, forward and backward, cross-faded.",
        description_zh="从缺口两侧各 0.2 秒做线性预测（256 阶），前向与后向交叉淡化。",
        license="apache-2.0",
    ),
    ModelSpec(
        name="running-median",
        task="repair",
        arch="median",
        description="A running median wide enough to step over the span: the classical click remover (on tones with "
                    "strong partials it also flattens the waveform's own peaks).",
        description_zh="宽度足以跨过片段的滑动中值：经典的咔嗒声去除法（对泛音强的音也会削平波形自身的峰）。",
        license="apache-2.0",
    ),
    ModelSpec(
        name="silence",
        task="repair",
        arch="silence",
        description="The span set to zero: what a gap sounds like unrepaired, the floor every method must beat.",
        description_zh="把片段置零：未修复的缺口听起来的样子，每种方法都必须超过的底线。",
        license="apache-2.0",
    ),
    ModelSpec(
        name="gpt2",
        task="text",
        arch="gpt2",
        description="OpenAI's GPT-2, 124M parameters (2019).",
        description_zh="OpenAI 的 GPT-2，1.24 亿参数（2019）。写英文。",
        license="mit",
        repo_id="openai-community/gpt2",
        revision="607a30d783dfa663caf39e06633721c8d4cfcd7e",
        preload=("config.json", "model.safetensors", "tokenizer.json"),
        defaults={"prompt": "The painting shows", "max_new_tokens": 64, "temperature": 0.8, "top_k": 40},
    ),
    ModelSpec(
        name="distilgpt2",
        task="text",
        arch="gpt2",
        description="DistilGPT2, 82M parameters, distilled from GPT-2.",
        description_zh="DistilGPT2，8200 万参数，从 GPT-2 蒸馏而来。写英文。",
        license="apache-2.0",
        repo_id="distilbert/distilgpt2",
        revision="2290a62682d06624634c1f46a6ad5be0f47f38aa",
        preload=("config.json", "model.safetensors", "tokenizer.json"),
        defaults={"prompt": "The painting shows", "max_new_tokens": 64, "temperature": 0.8, "top_k": 40},
    ),
    ModelSpec(
        name="smollm2-135m",
        task="text",
        arch="llama",
        description="Hugging Face's SmolLM2, 135M parameters, a Llama-architecture base model.",
        description_zh="Hugging Face 的 SmolLM2，1.35 亿参数，Llama 架构的基础模型。写英文。",
        license="apache-2.0",
        repo_id="HuggingFaceTB/SmolLM2-135M",
        revision="93efa2f097d58c2a74874c7e644dbc9b0cee75a2",
        preload=("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"),
        defaults={"prompt": "The painting shows", "max_new_tokens": 64, "temperature": 0.7, "top_p": 0.9},
    ),
    ModelSpec(
        name="smollm2-135m-instruct",
        task="text",
        arch="llama",
        description="SmolLM2-135M tuned to follow instructions; prompts go through its chat template.",
        description_zh="经指令微调的 SmolLM2-135M；提示会经过它的对话模板。主要写英文。",
        license="apache-2.0",
        repo_id="HuggingFaceTB/SmolLM2-135M-Instruct",
        revision="12fd25f77366fa6b3b4b768ec3050bf629380bac",
        preload=("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"),
        defaults={"prompt": "Describe a painting of a quiet harbour at dawn.", "max_new_tokens": 128,
                  "temperature": 0.7, "top_p": 0.9},
    ),
    ModelSpec(
        name="inpaint-art",
        task="inpaint",
        arch="inpaint-net",
        description="genart's own inpainting network, trained here on procedural art and photos with free-form holes; "
                    "it fills smoothly from the surroundings and copies from the mirror images of a symmetric picture "
                    "(untick 'Fill only the masked region' for that).",
        description_zh="genart 自己的修补网络，在这里用带自由形状空洞的程序化艺术和照片训练；它从周围平滑地填充，并能从对称画面的镜像处复制（为此请取消勾选“只填充遮罩区域”）。",
        license="apache-2.0",
        embedded=True,
    ),
    ModelSpec(
        name="lama",
        task="inpaint",
        arch="lama",
        description="LaMa (big-lama, Suvorov et al. 2022) in plain torch, from the official training checkpoint.",
        description_zh="纯 torch 实现的 LaMa（big-lama，Suvorov 等，2022），使用官方训练检查点。",
        license="apache-2.0",
        repo_id="akhaliq/lama",
        preload=("best.ckpt",),
    ),
    ModelSpec(
        name="lama-torchscript",
        task="inpaint",
        arch="torchscript",
        description="The TorchScript big-lama.pt that IOPaint uses; its MD5 is checked before it is loaded.",
        description_zh="IOPaint 使用的 TorchScript big-lama.pt；加载前会核对它的 MD5。",
        license="apache-2.0",
        release_files={"big-lama.pt": "Sanster/models/releases/download/add_big_lama/big-lama.pt"},
        published_md5={"big-lama.pt": IOPAINT_LAMA_MD5},
    ),
    ModelSpec(
        name="telea",
        task="inpaint",
        arch="telea",
        description="OpenCV's fast marching method (Telea 2004): fills from the hole's edge inwards.",
        description_zh="OpenCV 的快速行进法（Telea 2004）：从空洞边缘向内填充。",
        license="apache-2.0",
    ),
    ModelSpec(
        name="navier-stokes",
        task="inpaint",
        arch="navier-stokes",
        description="OpenCV's Navier-Stokes inpainting (Bertalmio et al. 2001): continues the isophotes into the hole.",
        description_zh="OpenCV 的 Navier-Stokes 修补（Bertalmio 等，2001）：把等照度线延续到空洞中。",
        license="apache-2.0",
    ),
    ModelSpec(
        name="harmonic",
        task="inpaint",
        arch="harmonic",
        description="The fill of least slope (Laplace's equation, solved coarse to fine): a membrane stretched over the "
                    "hole's edge, never brighter or darker than its surroundings.",
        description_zh="坡度最小的填充（拉普拉斯方程，由粗到细求解）：像一张绷在空洞边缘上的膜，不会比周围更亮或更暗。",
        license="apache-2.0",
    ),
    ModelSpec(
        name="biharmonic",
        task="inpaint",
        arch="biharmonic",
        description="The fill of least curvature (solved coarse to fine): carries the shading around the hole and its "
                    "slope inwards, and can overshoot it.",
        description_zh="曲率最小的填充（由粗到细求解）：把空洞周围的明暗及其坡度带入内部，可能会过冲。",
        license="apache-2.0",
    ),
    ModelSpec(
        name="tension",
        task="inpaint",
        arch="tension",
        description="A thin plate under tension (Smith & Wessel 1990; solved coarse to fine), between the harmonic and "
                    "biharmonic fills: some of the surrounding slope, little overshoot; the best classical method on photos here.",
        description_zh="带张力的薄板（Smith & Wessel 1990；由粗到细求解），介于调和与双调和填充之间：保留一些周围的坡度，很少过冲；在这里的照片上是最好的经典方法。",
        license="apache-2.0",
    ),
    ModelSpec(
        name="mean-fill",
        task="inpaint",
        arch="mean-fill",
        description="The known pixels' mean colour: the floor every method should beat.",
        description_zh="已知像素的平均颜色：每种方法都应超过的底线。",
        license="apache-2.0",
    ),
    ModelSpec(
        name="denoise-art",
        task="restore",
        arch="dncnn",
        description="A DnCNN-style denoiser trained here on procedural art and photos with Gaussian noise; the noise "
                    "level sets its strength.",
        description_zh="在这里用加了高斯噪声的程序化艺术和照片训练的 DnCNN 式去噪网络；噪声强度决定它的力度。",
        license="apache-2.0",
        embedded=True,
        defaults={"noise_level": 25},
    ),
    ModelSpec(
        name="impulse-inpaint",
        task="restore",
        arch="impulse-inpaint",
        description="Salt-and-pepper repair: finds the black and white impulses and fills them with inpaint-art.",
        description_zh="椒盐噪声修复：找出黑白脉冲点，用 inpaint-art 填充。",
        license="apache-2.0",
    ),
    ModelSpec(
        name="median-filter",
        task="restore",
        arch="median-filter",
        description="A 3x3 median filter: the classical answer to salt-and-pepper noise.",
        description_zh="3x3 中值滤波：应对椒盐噪声的经典方法。",
        license="apache-2.0",
    ),
    ModelSpec(
        name="gaussian-filter",
        task="restore",
        arch="gaussian-filter",
        description="A Gaussian blur whose width follows the noise level: the simplest Gaussian-noise baseline.",
        description_zh="宽度随噪声强度变化的高斯模糊：最简单的高斯噪声基线。",
        license="apache-2.0",
        defaults={"noise_level": 25},
    ),
    ModelSpec(
        name="bilateral-filter",
        task="restore",
        arch="bilateral-filter",
        description="An edge-preserving bilateral filter (Tomasi & Manduchi 1998) tuned by the noise level.",
        description_zh="按噪声强度调节的保边双边滤波（Tomasi & Manduchi 1998）。",
        license="apache-2.0",
        defaults={"noise_level": 25},
    ),
    ModelSpec(
        name="fast-stained-glass",
        task="style",
        arch="transformer-net",
        description="Fast style network (Johnson et al. 2016) trained here to paint like genart's stained glass.",
        description_zh="在这里训练的快速风格网络（Johnson 等，2016），画出 genart 彩色玻璃的风格。",
        license="apache-2.0",
        embedded=True,
    ),
    ModelSpec(
        name="fast-flow-field",
        task="style",
        arch="transformer-net",
        description="Fast style network (Johnson et al. 2016) trained here to paint like genart's flow fields.",
        description_zh="在这里训练的快速风格网络（Johnson 等，2016），画出 genart 流场的风格。",
        license="apache-2.0",
        embedded=True,
    ),
    ModelSpec(
        name="gatys-random",
        task="style",
        arch="random-features",
        description="Gatys et al. optimisation over a fixed-seed random multi-scale network: works offline, "
                    "captures texture and colour but less of the style's larger shapes than VGG-19 does.",
        description_zh="在固定种子的随机多尺度网络上做 Gatys 等人的优化：可离线使用，能抓住纹理和颜色，但对风格中较大形状的把握不如 VGG-19。",
        license="apache-2.0",
        defaults={"steps": 200},
    ),
    ModelSpec(
        name="gatys-vgg19",
        task="style",
        arch="vgg19",
        description="Gatys et al. optimisation over VGG-19 features (torchvision's ImageNet weights, via timm).",
        description_zh="在 VGG-19 特征上做 Gatys 等人的优化（torchvision 的 ImageNet 权重，经由 timm）。",
        license="bsd-3-clause",
        repo_id="timm/vgg19.tv_in1k",
        preload=("config.json", "model.safetensors"),
        defaults={"steps": 200},
    ),
    *(ModelSpec(
        name=name,
        task="clip",
        arch="clip",
        description=f"OpenAI's CLIP {size} (Radford et al. 2021): scores how well an image fits a description, and "
                    "steers BigGAN toward any prompt.",
        description_zh=f"OpenAI 的 CLIP {size}（Radford 等，2021）：给图像与描述的契合程度打分，并把 BigGAN 引导向任意提示词。",
        license="mit",
        repo_id=repo_id,
        preload=("config.json", "model.safetensors", "tokenizer.json"),
    ) for name, size, repo_id in (("clip-vit-b32", "ViT-B/32", "openai/clip-vit-base-patch32"),
                                  ("clip-vit-l14", "ViT-L/14", "openai/clip-vit-large-patch14"))),
    *(ModelSpec(
        name=f"progan-{name}",
        task="generate",
        arch="progan",
        description=f"Progressive GAN (Karras et al. 2018) from facebookresearch/pytorch_GAN_zoo: {what}. Its published "
                    "checkpoint (the averaged generator) in genart's own plain-torch generator.",
        description_zh=f"来自 facebookresearch/pytorch_GAN_zoo 的渐进式 GAN（Karras 等，2018）：{what_zh}。"
                       "它公布的检查点（平均后的生成器）运行在 genart 自己的纯 torch 生成器中。",
        license="bsd-3-clause",
        release_files={"model.pth": f"https://dl.fbaipublicfiles.com/gan_zoo/PGAN/{file}"},
        published_sha256={"model.pth": file.rsplit("-", 1)[1].removesuffix(".pth")},  # torch.hub's, in the name
    ) for name, file, what, what_zh in (
        ("celebahq-256", "celebaHQ_s6_i80000-6196db68.pth", "faces, 256x256, CelebA-HQ", "人脸，256x256，CelebA-HQ"),
        ("celebahq-512", "celebaHQ16_december_s7_i96000-9c72988c.pth", "faces, 512x512, CelebA-HQ",
         "人脸，512x512，CelebA-HQ"),
        ("dtd", "testDTD_s5_i96000-04efa39f.pth", "textures, 128x128, the Describable Textures Dataset",
         "纹理，128x128，可描述纹理数据集（DTD）"))),
    *(ModelSpec(
        name=f"stylegan2-{name}",
        task="generate",
        arch="stylegan2",
        description=f"StyleGAN2-ADA (Karras et al. 2020) from NVlabs: {what}. Its network pickle read without running "
                    "its code, in genart's own plain-torch generator; truncation ψ in W.",
        description_zh=f"来自 NVlabs 的 StyleGAN2-ADA（Karras 等，2020）：{what_zh}。读取它的网络 pickle 时不运行其中的代码，"
                       "在 genart 自己的纯 torch 生成器中运行；截断 ψ 作用于 W。",
        license="nvidia-source-code-license-nc",
        release_files={f"{name}.pkl": f"https://nvlabs-fi-cdn.nvidia.com/stylegan2-ada-pytorch/pretrained/{name}.pkl"},
        defaults={"truncation": 0.7},
    ) for name, what, what_zh in (
        ("metfaces", "portraits from museum paintings, 1024x1024 (slow on a CPU)", "博物馆画作中的肖像，1024x1024（在 CPU 上较慢）"),
        ("afhqcat", "cats, 512x512", "猫，512x512"),
        ("cifar10", "CIFAR-10's ten classes by number (0 airplane ... 9 truck), 32x32, fast on a CPU",
         "CIFAR-10 的十个类别，按编号（0 飞机 … 9 卡车），32x32，在 CPU 上也快"))),
    ModelSpec(
        name="adain",
        task="style",
        arch="adain",
        description="AdaIN arbitrary style transfer (Huang & Belongie 2017), naoto0804/pytorch-AdaIN's weights.",
        description_zh="AdaIN 任意风格迁移（Huang & Belongie 2017），使用 naoto0804/pytorch-AdaIN 的权重。",
        license="mit",
        release_files={"vgg_normalised.pth": "naoto0804/pytorch-AdaIN/releases/download/v0.0.0/vgg_normalised.pth",
                       "decoder.pth": "naoto0804/pytorch-AdaIN/releases/download/v0.0.0/decoder.pth"},
    ),
)
_BY_NAME = {spec.name: spec for spec in BUILTIN}
assert len(_BY_NAME) == len(BUILTIN), "two registry entries share a name"


def list_models(task: str | None = None) -> list[ModelSpec]:
    if task is not None and task not in MODEL_TASKS:
        raise GenartError(f"Unknown task {task!r}; use one of: {', '.join(MODEL_TASKS)}.")
    return [s for s in BUILTIN if task is None or s.task == task]


def choices_hint(name: str, task: str | None) -> str:
    """A task's models are few enough to list; all of them are not, so then the closest names and where the rest are."""
    if task is not None:
        return f"choose one of: {', '.join(s.name for s in list_models(task))}"
    close = difflib.get_close_matches(name, [s.name for s in BUILTIN], n=3, cutoff=0.5)
    nearest = f" (did you mean {' or '.join(close)}?)" if close else ""
    return f"choose one of the {len(BUILTIN)} built-in models the Models tab lists{nearest}"


def check_revision(revision: str) -> str:
    if not _REVISION.match(revision) or any(bad in revision for bad in ("..", "//", "/.", ".lock")):
        raise GenartError(f"{revision[:60]!r} is not a Hub revision; after '@' write a 40-character commit or a branch "
                          "or tag name (letters, digits, '-', '_', '.' and '/').")
    return revision


def parse_hub_name(name: str) -> tuple[str, str]:
    """'hf-hub:org/name@rev' -> ('org/name', 'rev'); revision defaults to main."""
    body = name[len(HUB_PREFIX):]
    repo_id, at, revision = body.partition("@")
    if not _HUB_ID.match(repo_id) or "--" in repo_id or ".." in repo_id or (at and not revision):
        raise GenartError(f"{name[:80]!r} is not a Hub model id; write it as hf-hub:org/name or "
                          "hf-hub:org/name@revision.")
    return repo_id, check_revision(revision) if revision else "main"


def get_spec(name: str, task: str | None = None) -> ModelSpec:
    """A built-in spec by name (`name@rev` pins a built-in Hub model to another revision), or a spec for any Hub repo
    named `hf-hub:org/name[@rev]` (its task taken as `task`)."""
    if not isinstance(name, str) or not name.strip():
        choices = (f"one of {', '.join(s.name for s in list_models(task))}" if task
                   else "one the Models tab lists (for example dcgan-art-64)")
        raise GenartError(f"Name a model: {choices}, or a Hub repo as hf-hub:org/name.")
    name = name.strip()
    if len(name) > MAX_NAME:
        raise GenartError(f"A model name of {len(name)} characters is too long; registry names and Hub ids are at most "
                          f"{MAX_NAME}.")
    if name.startswith(HUB_PREFIX):
        repo_id, revision = parse_hub_name(name)
        return ModelSpec(name=name, task=task or "generate", arch=AUTO_ARCH, description=f"Hub repo {repo_id}",
                         description_zh=f"Hub 仓库 {repo_id}",
                         repo_id=repo_id, revision=revision)
    name, _, revision = name.partition("@")
    spec = _BY_NAME.get(name)
    if spec is None:
        raise GenartError(f"Unknown model {name[:80]!r}; {choices_hint(name, task)}, or name a Hub repo as "
                          "hf-hub:org/name.")
    if task is not None and spec.task != task:
        raise GenartError(f"Model {name!r} is for the {spec.task} task, not {task}; "
                          f"{choices_hint(name, task)}.")
    if revision:
        if not spec.repo_id:
            raise GenartError(f"{name} is not a Hub model, so it has no revisions; drop the '@{revision[:60]}'.")
        spec = dataclasses.replace(spec, revision=check_revision(revision))
    return spec
