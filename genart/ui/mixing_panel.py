"""The Generate tab's Style mixing panel (a StyleGAN): rows of seeds, columns of seeds, and each row's image with
one group of layers taken from each column's."""
import json
import time

import gradio as gr

from ..errors import GenartError
from ..locale import say
from ..pipelines.style_mixing import LAYER_GROUPS, MAX_W_NUMBERS, MixSettings, mix
from . import uploads
from .api_docs import documented
from .common import MODEL_RUN, Replayed, forward_progress, output_dir, user_errors
from .controls import control, controls, recorded, settings_from
from .gpu import on_gpu
from .language import tr
from .visitor import kept

FIELDS = ("seed", "rows", "seed_b", "columns", "layers", "truncation", "label", "row_w")  # the API's, after the model
MAX_W_CHARACTERS = MAX_W_NUMBERS * 32  # JSON of that many numbers at full float precision
SUMMARY = "Style mixing for a StyleGAN: -> a grid (the column seeds' images along the top, the row seeds' down the " \
          "left, each cell its row's image with the chosen layers from its column's w; a PNG that carries its replay " \
          "record) and a status line."


@kept
@user_errors
@on_gpu(60)
def run_mix(model, *values, progress=gr.Progress()):
    given = dict(zip(FIELDS, values))
    if "row_w" in given:
        given["row_w"] = w_numbers(given["row_w"])
    settings = settings_from(MixSettings, list(given), list(given.values()))
    start = time.perf_counter()
    art = mix(model, settings, forward_progress(progress))
    seconds = time.perf_counter() - start
    path = art.save(output_dir() / f"mix-{settings.seed}-{settings.seed_b}-{settings.layers}.png")
    return str(path), say(f"{settings.rows} × {settings.columns} mixes of {model}'s {settings.layers} layers in "
                          f"{seconds:.2f} s")


def w_numbers(text) -> list[float] | None:
    """The first row's w as the panel's box holds it: empty, or JSON numbers (a list, or the list of lists that
    Project a photo writes) -> a flat list (the settings check each number)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if not isinstance(text, str) or len(text) > MAX_W_CHARACTERS:
        raise GenartError(f"First row's w must be JSON text of at most {MAX_W_CHARACTERS} characters, as Project a "
                          "photo writes it.")
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    rows = value if isinstance(value, list) and value and all(isinstance(r, list) for r in value) else [value]
    numbers = [v for row in rows for v in (row if isinstance(row, list) else [row])]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers):
        raise GenartError("First row's w must be JSON numbers, as Project a photo writes them; clear it to use the "
                          "first row seed.")
    return numbers


@user_errors
def to_mix(w_text):
    """Project a photo's w into the first row's box (checked: the page sends the box's text, a visitor anything)."""
    numbers = w_numbers(w_text)
    if numbers is None:
        raise GenartError("Project a photo first: there is no w to mix yet.")
    return json.dumps(numbers), gr.Accordion(open=True)


def replayed(record: dict, output, image_path: str) -> dict:
    """The panel's fields for a remade grid: its settings, the grid, opened."""
    values = recorded(MixSettings, record)
    row_w = values.pop("row_w", None)
    return {"model": record["model"], "label": values.pop("label", None), **{f"mix_{k}": v for k, v in values.items()},
            "mix_row_w": "" if row_w is None else json.dumps(row_w), "mix_grid": image_path,
            "mixing": gr.Accordion(open=True)}


def build(model: gr.Dropdown, label: gr.Dropdown) -> dict:
    """-> the panel's fields by name (its settings as mix_<name>); the class is the tab's."""
    with gr.Accordion(tr("Style mixing (a StyleGAN)"), open=False, visible=False) as panel:
        with gr.Row():
            with gr.Column(scale=1, min_width=260):
                knobs = controls(MixSettings, ("seed", "rows", "seed_b", "columns"))
                knobs["layers"] = control(MixSettings, "layers", choices=list(LAYER_GROUPS), value="coarse")
                knobs["truncation"] = control(MixSettings, "truncation")
                knobs["row_w"] = gr.Textbox(label=tr("First row's w"), lines=1, max_lines=3, elem_id="mix-row-w",
                                            info=tr("JSON numbers from Project a photo (its button fills this in); "
                                                    "empty: the first row seed's."))
                button = gr.Button(tr("Mix styles"), elem_id="mix-run")
            with gr.Column(scale=2, min_width=260):
                grid = uploads.image(label=tr("Mixes"), type="filepath", interactive=False, height=420,
                                     elem_id="mix-grid")
                status = gr.Markdown(elem_id="mix-status")
    knobs["label"] = label
    button.click(run_mix, [model, *(knobs[k] for k in FIELDS)], [grid, status], api_name="mix",
                 api_description=documented(run_mix, MixSettings, SUMMARY, FIELDS), **MODEL_RUN)
    return {"mixing": panel, "mix_grid": grid, "mix_status": status,
            **{f"mix_{k}": v for k, v in knobs.items() if k != "label"}}


REPLAYED = {"mix": Replayed("generate", "mix_status", replayed)}
