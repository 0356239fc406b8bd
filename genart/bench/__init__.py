"""`python -m genart bench [TASK]`: speed tables for the current device, printed as Markdown."""
from ..errors import GenartError
from . import biggan, cache_soak, generate, history, imagine, inpaint, procedural, soak, stream, style, stylegan, text, text_precision

BENCHES = {"imagine": imagine.run, "generate": generate.run, "biggan": biggan.run, "procedural": procedural.run,
           "inpaint": inpaint.run, "style": style.run, "stylegan": stylegan.run, "text": text.run, "text-precision": text_precision.run,
           "stream": stream.run, "history": history.run}
ON_REQUEST = {"soak": soak.run, "cache": cache_soak.run}  # long runs that `bench` without a task leaves out


def run(task: str | None = None):
    if task in ON_REQUEST:
        return ON_REQUEST[task]()
    if task is not None and task not in BENCHES:
        raise GenartError(f"No benchmark for {task!r}; choose one of: {', '.join([*BENCHES, *ON_REQUEST])}.")
    for name, bench in BENCHES.items():
        if task in (None, name):
            bench()
