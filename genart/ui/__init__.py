"""The Gradio app: one tab per task over the shared registry."""
import os

import gradio as gr

from . import compare_tab, generate_tab, inpaint_tab, models_tab, replay_drop, send_to, style_tab, text_tab

CSS = """
.pixelated img { image-rendering: pixelated; }
.enlarged img { width: 288px; height: 288px; object-fit: contain; }
"""


def build_demo() -> gr.Blocks:
    with gr.Blocks(title="genart") as demo:
        gr.Markdown("# genart\nGenerative-art models in the browser: sample a GAN, fill holes and restore damage, "
                    "transfer styles, write with a language model, and compare them side by side.")
        replay_file, replay_status = replay_drop.build()
        fields = {}
        with gr.Tabs() as tabs:
            with gr.Tab("Generate", id="generate"):
                generated, fields["generate"] = generate_tab.build()
            with gr.Tab("Inpaint", id="inpaint"):
                inpainted, inpaint_editor, fields["inpaint"] = inpaint_tab.build()
            with gr.Tab("Style", id="style"):
                style_content, fields["style"] = style_tab.build()
            with gr.Tab("Text", id="text"):
                fields["text"] = text_tab.build()
            with gr.Tab("Compare", id="compare"):
                fields["compare"] = compare_tab.build()
            with gr.Tab("Models", id="models"):
                models_tab.build()
        for source in (generated, inpainted):
            send_to.wire(source, tabs, inpaint_editor, style_content)
        replay_drop.wire(replay_file, replay_status, tabs, fields)
        gr.api(models_tab.models_api, api_name="models")
    return demo


def launch(host: str | None = None, port: int | None = None, share: bool = False):
    """Queue and serve; GRADIO_SERVER_NAME / GRADIO_SERVER_PORT apply when host / port are not given."""
    demo = build_demo().queue(default_concurrency_limit=int(os.environ.get("GENART_CONCURRENCY", "2")))
    demo.launch(server_name=host, server_port=port, share=share, css=CSS, theme=gr.themes.Soft())
