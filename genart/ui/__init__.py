"""The Gradio app: one tab per task over the shared registry."""
import dataclasses
import os

import gradio as gr

from ..registry import list_models
from . import generate_tab, style_tab, text_tab

CSS = """
.pixelated img { image-rendering: pixelated; }
.enlarged img { width: 288px; height: 288px; object-fit: contain; }
"""


def models_table() -> list[dict]:
    """The registry as plain records (API /models)."""
    return [dataclasses.asdict(s) | {"source": s.source} for s in list_models()]


def build_demo() -> gr.Blocks:
    with gr.Blocks(title="genart") as demo:
        gr.Markdown("# genart\nGenerative-art models in the browser: sample a GAN and compare it with what it learned "
                    "from; write with a language model.")
        with gr.Tabs():
            with gr.Tab("Generate"):
                generate_tab.build()
            with gr.Tab("Style"):
                style_tab.build()
            with gr.Tab("Text"):
                text_tab.build()
        gr.api(models_table, api_name="models")
    return demo


def launch(host: str | None = None, port: int | None = None, share: bool = False):
    """Queue and serve; GRADIO_SERVER_NAME / GRADIO_SERVER_PORT apply when host / port are not given."""
    demo = build_demo().queue(default_concurrency_limit=int(os.environ.get("GENART_CONCURRENCY", "2")))
    demo.launch(server_name=host, server_port=port, share=share, css=CSS, theme=gr.themes.Soft())
