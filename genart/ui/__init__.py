"""The Gradio app: one tab per task over the shared registry, served within the limits of limits.py; public mode
(access.py) hides and refuses model management."""
import os

import gradio as gr
from starlette.middleware import Middleware

from .. import access, runtime, vote_sync
from ..loaders import load_model
from ..registry import get_spec
from . import (
    arena_tab,
    cache_sweep,
    chat_tab,
    compare_tab,
    edge,
    generate_tab,
    history_tab,
    imagine_panel,
    inpaint_tab,
    melody_tab,
    models_tab,
    repair_tab,
    replay_drop,
    send_to,
    sentence_vae_tab,
    style_tab,
    text_tab,
)
from .common import prune_old_outputs
from .language import LANGUAGE_SCRIPT, answer_in_request_language, example_headers_in_language, page_words, tr
from .limits import current_limits
from .visitor import VisitorCookie

CSS = """
.pixelated img { image-rendering: pixelated; }
.enlarged img { width: 288px; height: 288px; object-fit: contain; }
/* the "Use via API" page: an endpoint's description keeps its lines, one a parameter */
h3 > span.post + span.desc { display: block; white-space: pre-line; margin-top: 0.4em; }
"""


GRADIO_SWEEP_SECONDS = 365 * 24 * 3600


def sweep_schedule() -> tuple[int, int]:
    """(every, age) in seconds: how often Gradio's cache is swept, and the age at which a file goes."""
    minutes = current_limits().output_minutes
    return max(60, int(minutes * 15)), int(minutes * 60)


def build_demo(public: bool | None = None) -> gr.Blocks:
    """The app; public (default: what GENART_PUBLIC says) hides model management from visitors."""
    public = access.is_public() if public is None else public
    # Gradio's own schedule is kept only for its clean-up at shutdown (every file it cached for this app goes):
    # cache_sweep, which launch starts, removes the old ones while it serves (Gradio's sweep stops under traffic).
    with gr.Blocks(title="genart", delete_cache=(GRADIO_SWEEP_SECONDS, sweep_schedule()[1])) as demo:
        gr.Markdown(tr("# genart\nGenerative-art models in the browser: draw a prompt, sample a GAN, fill holes and restore damage, "
                      "transfer styles, write with a language model, make melodies, and compare them side by side."))
        replay_file, replay_status = replay_drop.build()
        fields = {}
        with gr.Tabs() as tabs:
            with gr.Tab(tr("Text to image"), id="imagine"):
                imagined, fields["imagine"] = imagine_panel.build()
            with gr.Tab(tr("Generate"), id="generate"):
                generated, fields["generate"] = generate_tab.build()
            with gr.Tab(tr("Inpaint"), id="inpaint"):
                inpainted, inpaint_editor, fields["inpaint"] = inpaint_tab.build()
            with gr.Tab(tr("Style"), id="style"):
                style_content, fields["style"] = style_tab.build()
            with gr.Tab(tr("Text"), id="text"):
                with gr.Tabs() as text_mode:
                    with gr.Tab(tr("Complete"), id="complete"):
                        fields["text"] = text_tab.build()
                    with gr.Tab(tr("Chat"), id="chat"):
                        fields["text"] |= chat_tab.build() | {"mode": text_mode}
                    with gr.Tab(tr("Sentence VAE"), id="vae"):
                        fields["text"] |= sentence_vae_tab.build()
            with gr.Tab(tr("Audio"), id="audio"):
                with gr.Tabs() as audio_mode:
                    with gr.Tab(tr("Melody"), id="melody"):
                        fields["audio"] = melody_tab.build()
                    with gr.Tab(tr("Repair"), id="repair"):
                        fields["audio"] |= repair_tab.build(fields["audio"]["audio"]) | {"mode": audio_mode}
            with gr.Tab(tr("Compare"), id="compare"):
                fields["compare"] = compare_tab.build()
            with gr.Tab(tr("Arena"), id="arena"):
                arena = arena_tab.build()
            with gr.Tab(tr("History"), id="history") as history_page:
                kept = history_tab.build()
            with gr.Tab(tr("Models"), id="models"):
                models_table, manage = models_tab.build(public)
        for source in (imagined, generated, inpainted):
            send_to.wire(source, tabs, inpaint_editor, fields["inpaint"]["mode"], style_content)
        replay_drop.wire(replay_file, replay_status, tabs, fields)
        history_tab.wire(kept, history_page, tabs, fields)
        gr.api(models_tab.models_api, api_name="models")
        # Tables come with their column names in the visitor's language (the browser does not translate those).
        demo.load(models_tab.rows, None, models_table, api_name=False, queue=False)
        demo.load(arena_tab.leaderboard_table, arena["task"], arena["leaderboard"], api_name=False, queue=False)
        demo.load(compare_tab.no_cells, None, fields["compare"]["cells"], api_name=False, queue=False)
        example_headers_in_language(demo)
        if public:
            demo.load(models_tab.management_visible, None, manage, api_name=False)
    edge.guard_inputs(demo)
    edge.guard_payloads(demo)
    answer_in_request_language(demo)
    return demo


def tools_named_after_endpoints(demo: gr.Blocks) -> None:
    """Gradio's MCP server names a tool after its function; genart's functions are named for the code that calls them
    (run_generate, text_api), so each takes its endpoint's name (generate, text), which the API page uses too."""
    for fn in demo.fns.values():
        if isinstance(fn.api_name, str) and fn.fn is not None and fn.api_visibility == "public":
            fn.fn.__name__ = fn.api_name


# Each tab's default model: what ZeroGPU wants placed at start-up.
STARTUP_MODELS = (imagine_panel.DEFAULT_MODEL, generate_tab.DEFAULT_MODEL, inpaint_tab.DEFAULT_MODEL, inpaint_tab.DEFAULT_RESTORER,
                  style_tab.DEFAULT_MODEL, text_tab.DEFAULT_MODEL, melody_tab.DEFAULT_MODEL)


def place_startup_models() -> list[str]:
    """On a ZeroGPU Space (SPACES_ZERO_GPU set), load each tab's default model before serving: ZeroGPU moves modules
    placed at start-up onto the GPU it attaches to each request. Elsewhere models load on first use. -> the names."""
    if not os.environ.get("SPACES_ZERO_GPU"):
        return []
    runtime.MODELS.capacity += len(STARTUP_MODELS) + 1  # they stay beside GENART_MAX_LOADED others (+1: a tokenizer)
    for name in STARTUP_MODELS:
        load_model(get_spec(name))
    return list(STARTUP_MODELS)


def owner_logins() -> list[tuple[str, str]] | None:
    """GENART_AUTH="name:password,name2:password2": Gradio's login for the whole app, owners among those names."""
    pairs = [p.split(":", 1) for p in os.environ.get("GENART_AUTH", "").split(",") if ":" in p]
    return [(name.strip(), password) for name, password in pairs] or None


def launch(host: str | None = None, port: int | None = None, share: bool = False, public: bool | None = None,
           mcp: bool | None = None):
    """Queue and serve within the limits; GRADIO_SERVER_NAME / GRADIO_SERVER_PORT apply when host / port are not
    given. Public mode is decided here (access.decide_public) unless `public` forces it, and written to
    GENART_PUBLIC so that every layer reads the same answer. With `mcp` (else GENART_MCP=1) Gradio's MCP server
    offers every endpoint as a tool, named after the endpoint; a tool call goes through the same queue, checks and
    limits as an HTTP call."""
    host = host or os.environ.get("GRADIO_SERVER_NAME")
    public = access.decide_public(host, share) if public is None else public
    os.environ[access.PUBLIC] = "1" if public else "0"
    limits = current_limits()
    runtime.keep_freed_memory()
    place_startup_models()
    vote_sync.start()
    demo = build_demo().queue(default_concurrency_limit=limits.concurrency, max_size=limits.queue_size)
    edge.busy_sentence(demo)
    cache_sweep.start(demo, *sweep_schedule(), also=prune_old_outputs)
    mcp = os.environ.get("GENART_MCP") == "1" if mcp is None else mcp
    if mcp:
        tools_named_after_endpoints(demo)
    demo.launch(app_kwargs={"middleware": [Middleware(VisitorCookie)]},  # a visitor's history outlives a reload
                server_name=host, server_port=port, share=share, css=CSS, theme=gr.themes.Soft(), i18n=page_words(),
                head=LANGUAGE_SCRIPT,
                max_file_size=int(limits.max_file_mb * 1e6), state_session_capacity=limits.sessions, auth=owner_logins(),
                show_error=True, mcp_server=mcp)  # Gradio's own checks reach a visitor as their sentence; genart's are sentences
