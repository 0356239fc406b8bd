"""Style mixing (Karras et al. 2019, figure 3): a grid whose rows are seeds' images and whose columns are other
seeds' images; each cell is its row's image with one group of layers (coarse, middle or fine) given its column's w.
For generators with a style space (StyleGAN)."""
from dataclasses import asdict, dataclass

import torch
from PIL import Image

from .. import runtime
from ..errors import GenartError
from ..hub import Progress
from ..loaders import load_model
from ..registry import get_spec
from ..replay import Artwork, make_record
from .checks import MAX_SEED
from .generate import METHODS, GenerateSettings, fitting_label
from .latent_models import one_class, to_images
from .settings import checked, knob, same_as
from .task import Output, Task, method_for

# The layers each group names, by the side of the layer (the paper's coarse 4-8 px, middle 16-32 px, fine 64 px up).
LAYER_GROUPS = {"coarse": (4, 8), "middle": (16, 32), "fine": (64, 1 << 16)}
MAX_CELL = 256  # a grid cell's side in pixels; bigger images are scaled down to it
MAX_W_NUMBERS = 18 * 1024  # one w per layer of a 1024 px StyleGAN2 with 1,024-wide ws: more than any published one


@dataclass(frozen=True)
class MixSettings:
    seed: int = knob(0, "Row seeds from", "The rows: this seed and the next ones; each cell keeps its row's w "
                     "outside the mixed layers.", 0, MAX_SEED, label_zh="行种子起点",
                     help_zh="各行：这个种子及其后的种子；每个单元格在混合层之外保留所在行的 w。")
    rows: int = knob(3, "Rows", low=1, high=6, step=1, label_zh="行数")
    seed_b: int = knob(100, "Column seeds from", "The columns: this seed and the next ones, whose w the mixed layers "
                       "take.", 0, MAX_SEED, label_zh="列种子起点", help_zh="各列：这个种子及其后的种子，混合的层取它们的 w。")
    columns: int = knob(3, "Columns", low=1, high=6, step=1, label_zh="列数")
    layers: str = knob("coarse", "Layers from the columns", "coarse (4-8 px: pose and shape), middle (16-32 px: "
                       "features) or fine (64 px and up: colours and texture).", high=10, label_zh="取自列的层",
                       help_zh="coarse（4-8 像素：姿态与形状）、middle（16-32 像素：五官等特征）或 fine（64 像素以上：颜色与纹理）。")
    truncation: float = knob(0.7, "Truncation ψ", "How far each w stays from the average w: 1 as drawn, lower more "
                             "typical.", 0.1, 1.0, 0.05, label_zh="截断 ψ",
                             help_zh="每个 w 离平均 w 有多远：1 为原样，越低越典型。")
    label: str | None = same_as(GenerateSettings, "label")
    row_w: list[float] | None = knob(None, "First row's w", "A w in place of the first row seed's: a projected "
                                     "photo's (one w, or one per layer), truncated like a seed's; empty: the seed's.",
                                     -1e4, MAX_W_NUMBERS, sweep=False, label_zh="第一行的 w",
                                     help_zh="代替第一行种子的 w：投影照片得到的 w（一个，或每层一个），像种子的一样截断；留空：用种子的。")


def given_w(config, row_w: list[float]) -> torch.Tensor:
    """A w given as numbers (one w_dim row, or one per layer) -> (1, 1 or num_ws, w_dim)."""
    if len(row_w) not in (config.w_dim, config.num_ws * config.w_dim):
        raise GenartError(f"First row's w has {len(row_w)} numbers; this generator takes {config.w_dim} (one w) or "
                          f"{config.num_ws * config.w_dim} (one per layer).")
    return torch.tensor(row_w, dtype=torch.float32).reshape(1, -1, config.w_dim)


def mixed_rows(sides: list[int], layers: str) -> list[int]:
    """The rows of ws that the group `layers` names, for layers of these sides."""
    if layers not in LAYER_GROUPS:
        raise GenartError(f"Layers from the columns must be one of {', '.join(LAYER_GROUPS)}; got {layers!r:.20}.")
    low, high = LAYER_GROUPS[layers]
    rows = [i for i, side in enumerate(sides) if low <= side <= high]
    if not rows:
        raise GenartError(f"This generator's layers stop at {sides[-1]} px, so it has no {layers} layers; mix "
                          f"coarse or middle ones.")
    return rows


def grid(header_row: list[Image.Image], header_column: list[Image.Image], cells: list[list[Image.Image]]) -> Image.Image:
    """The paper's layout: the column seeds' images along the top, the row seeds' down the left, the mixes inside."""
    side = min(header_row[0].width, MAX_CELL)

    def fit(image: Image.Image) -> Image.Image:
        return image if image.width == side else image.resize((side, side), Image.Resampling.LANCZOS)

    sheet = Image.new("RGB", (side * (len(header_row) + 1), side * (len(header_column) + 1)), "white")
    for c, image in enumerate(header_row):
        sheet.paste(fit(image).convert("RGB"), (side * (c + 1), 0))
    for r, image in enumerate(header_column):
        sheet.paste(fit(image).convert("RGB"), (0, side * (r + 1)))
        for c, cell in enumerate(cells[r]):
            sheet.paste(fit(cell).convert("RGB"), (side * (c + 1), side * (r + 1)))
    return sheet


def mix(model: str, settings: MixSettings = MixSettings(), progress: Progress | None = None) -> Artwork:
    """The grid of rows x columns mixes, with its replay record."""
    spec, s = get_spec(model, task="generate"), checked(settings)
    method = method_for(spec, METHODS, progress)
    styles = method.sampler.styles if method.sampler else None
    if styles is None:
        raise GenartError(f"{spec.name} draws every layer from one latent, so it has no styles to mix; pick a "
                          "StyleGAN such as stylegan2-cifar10.")
    s = MixSettings(**asdict(s) | {"label": fitting_label(spec, method.classes(spec, progress), s.label)})
    loaded, gan = load_model(spec, progress), method.sampler
    mixed = mixed_rows(styles.sides(loaded.module), s.layers)
    dim = loaded.module.config.latent_dim
    z = torch.cat([gan.noise(s.seed, s.rows, dim), gan.noise(s.seed_b, s.columns, dim)])  # (rows + columns, dim)
    labels = one_class(gan, loaded, s.label, len(z))
    with torch.inference_mode(), runtime.oom_guard():
        ws = styles.ws(loaded.module, z.to(loaded.device, loaded.dtype), None if labels is None else
                       labels.to(loaded.device), s.truncation)  # (rows + columns, num_ws, w_dim)
        if s.row_w is not None:
            w = given_w(loaded.module.config, s.row_w).to(loaded.device, loaded.dtype)
            ws[0] = styles.truncated(loaded.module, w, s.truncation)[0]
        row_ws, column_ws = ws[:s.rows], ws[s.rows:]
        cells = row_ws.repeat_interleave(s.columns, dim=0)  # (rows * columns, num_ws, w_dim): row-major
        cells[:, mixed] = column_ws.repeat(s.rows, 1, 1)[:, mixed]
        images = to_images(torch.cat([styles.draw(loaded.module, w[None]) for w in torch.cat([ws, cells])]))
    heads, mixes = images[:len(z)], images[len(z):]
    sheet = grid(heads[s.rows:], heads[:s.rows], [mixes[r * s.columns:(r + 1) * s.columns] for r in range(s.rows)])
    return Artwork(sheet, make_record("mix", spec.name, loaded.provenance, **asdict(s)))


def run(model: str, s: MixSettings, inputs: dict, progress: Progress | None) -> list[Output]:
    art = mix(model, s, progress)
    return [Output(art.record, art.image)]


TASK = Task("mix", MixSettings, METHODS, run, model_task="generate")
