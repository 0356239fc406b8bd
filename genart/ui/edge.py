"""The edge of the server: whatever a visitor sends for an input component is turned into one sentence when the
component cannot take it, instead of Gradio's bare "Error" (a string for a slider, NaN for a seed, a list for a
textbox). Files are checked first, in uploads.py."""
import reprlib

import gradio as gr
import pydantic
from gradio.exceptions import InvalidPathError

from ..locale import language_of, say
from .language import english
from .uploads import NOT_AN_UPLOAD, payload_paths


def describe(component) -> str:
    label = english(getattr(component, "label", None)) or type(component).__name__
    low, high = getattr(component, "minimum", None), getattr(component, "maximum", None)
    if low is not None and high is not None:
        return f"{label} must be a number from {low:g} to {high:g}"
    if isinstance(component, (gr.Number, gr.Slider)):
        return f"{label} must be a number"
    if isinstance(component, (gr.Dropdown, gr.Radio)) and getattr(component, "choices", None):
        return f"{label} must be one of its choices"
    if isinstance(component, gr.Checkbox):
        return f"{label} must be true or false"
    if isinstance(component, gr.Textbox):
        return f"{label} must be text"
    return f"{label} got a value it cannot take"


def guarded(component):
    """The component, with a preprocess that answers a malformed value with one sentence."""
    preprocess = component.preprocess

    def checked_preprocess(payload):
        try:
            return preprocess(payload)
        except gr.Error:
            raise
        except Exception:
            shown = reprlib.repr(payload)  # bounded: a payload may be megabytes
            raise gr.Error(f"{describe(component)}, got {shown}; send a value of that kind.") from None

    component.preprocess = checked_preprocess
    return component


def guard_inputs(demo: gr.Blocks) -> None:
    """Every component that some event reads gets a guarded preprocess."""
    inputs = {id(block): block for fn in demo.fns.values() for block in fn.inputs}
    for block in inputs.values():
        if isinstance(block, gr.components.Component) and not block.stateful:
            guarded(block)


def guard_payloads(demo: gr.Blocks) -> None:
    """Before any component sees them, Gradio checks the number of values and each file payload's form; a request
    that fails those checks gets one sentence too, not Gradio's listing of every input."""
    preprocess_data = demo.preprocess_data

    async def checked_preprocess_data(block_fn, inputs, state, explicit_call=False):
        # Gradio would fetch a file payload that names a URL into its cache: the server never fetches for a visitor.
        if any(isinstance(p, str) and "://" in p for p in payload_paths(inputs)):
            raise gr.Error(NOT_AN_UPLOAD)
        try:
            return await preprocess_data(block_fn, inputs, state, explicit_call)
        except InvalidPathError:  # a file payload marked as one, naming a file that is not an upload
            raise gr.Error(NOT_AN_UPLOAD) from None
        except pydantic.ValidationError as err:
            raise gr.Error(f"A value sent is not in the form its input takes ({err.title}); send what the API page "
                           "shows for each parameter.") from None
        except ValueError as err:
            if "didn't receive enough input values" not in str(err):
                raise
            raise gr.Error(f"This endpoint takes {len(block_fn.inputs)} values and got {len(inputs)}; send one for "
                           "each parameter, in order.") from None

    demo.preprocess_data = checked_preprocess_data


def busy_sentence(demo: gr.Blocks) -> None:
    """A request beyond the queue's size is told, in one sentence, that the server is busy, how many requests wait
    and what to do; Gradio's own answer is "Queue is full". Call after demo.queue(), which makes the queue."""
    queue = demo._queue
    push = queue.push

    async def push_or_busy(body, request, username):
        success, answer, state = await push(body=body, request=request, username=username)
        if state == "queue_full":
            answer = say(f"The server is busy: {len(queue)} requests are waiting, as many as it holds; try again in a "
                         "minute.", language_of(request.headers))
        return success, answer, state

    queue.push = push_or_busy
