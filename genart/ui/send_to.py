"""Send to: buttons that move an output into another tab's input, and switch to that tab."""
from dataclasses import dataclass

import gradio as gr


@dataclass
class SendFrom:
    """What a tab offers to send: the gallery (or image slider) holding outputs, which item, and its buttons."""
    outputs: gr.components.Component
    chosen: gr.State | None
    to_inpaint: gr.Button | None
    to_style: gr.Button | None


def picked(items, index: int | None) -> str:
    """The chosen output's file: a gallery item, or the "after" side of a before/after slider."""
    if not items:
        raise gr.Error("There is nothing to send yet: make an image first.")
    if isinstance(items, tuple):  # an ImageSlider's (before, after)
        return items[1]
    item = items[min(index or 0, len(items) - 1)]
    return item[0] if isinstance(item, tuple) else item


def wire(source: SendFrom, tabs: gr.Tabs, inpaint_editor: gr.ImageEditor | None, inpaint_mode: gr.Tabs,
         style_content: gr.Image | None):
    """The source's buttons: to Inpaint (its Fill mode, whichever mode was open) and to Style."""
    extra = [source.chosen] if source.chosen is not None else []

    def chosen_path(items, *index):
        return picked(items, index[0] if index else None)

    if source.to_inpaint is not None and inpaint_editor is not None:
        source.to_inpaint.click(
            lambda *a: ({"background": chosen_path(*a), "layers": [], "composite": chosen_path(*a)},
                        gr.Tabs(selected="inpaint"), gr.Tabs(selected="fill")),
            [source.outputs, *extra], [inpaint_editor, tabs, inpaint_mode], api_name=False)
    if source.to_style is not None and style_content is not None:
        source.to_style.click(lambda *a: (chosen_path(*a), gr.Tabs(selected="style")),
                              [source.outputs, *extra], [style_content, tabs], api_name=False)
