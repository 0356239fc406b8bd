"""The API's contract as a client reads it from /gradio_api/info: every task's endpoint names its parameters after the
task's declaration and says what each one does."""
import re

import httpx
import pytest

from genart.pipelines.batch import BATCH_TASKS
from genart.pipelines.runner import TASKS
from genart.pipelines.settings import settings_of
from genart.ui.api_docs import INPUTS

ENDPOINT_TASKS = {"/stylize": "style"}  # an endpoint named otherwise than its task


@pytest.fixture(scope="module")
def endpoints(app_url) -> dict:
    return httpx.get(f"{app_url}/gradio_api/info", timeout=30).json()["named_endpoints"]


def task_endpoints(endpoints: dict) -> dict:
    named = {f"/{name}": name for name in TASKS} | ENDPOINT_TASKS | {f"/batch_{name}": name for name in BATCH_TASKS}
    return {api: TASKS[task] for api, task in named.items() if api in endpoints}


def test_no_endpoint_has_an_unnamed_parameter(endpoints):
    unnamed = {api: p["parameter_name"] for api, ep in endpoints.items() for p in ep["parameters"]
               if re.fullmatch(r"param_\d+", p["parameter_name"])}
    assert not unnamed


def test_every_task_endpoint_takes_its_declared_settings_by_name_and_says_what_each_does(endpoints):
    found = task_endpoints(endpoints)
    assert set(found) >= {"/generate", "/inpaint", "/stylize", "/restore", "/imagine", "/text", "/melody", "/repair",
                          "/batch_restore", "/batch_inpaint", "/batch_style", "/batch_imagine"}
    for api, task in found.items():
        names = [p["parameter_name"] for p in endpoints[api]["parameters"]]
        declared = {s.name for s in settings_of(task.settings)}
        undeclared = set(names) - declared - set(task.inputs) - set(INPUTS)
        assert not undeclared, f"{api} takes parameters its task does not declare: {undeclared}"
        # every setting is offered: style weights as one number per style image, and an interpolation's end latents
        # as the images image_a and image_b they are encoded from
        # a batch's source replaces what it varies
        batched = {task.batch_over} if api.startswith("/batch_") else set()
        assert declared - set(names) <= {"style_weights", "latent_a", "latent_b"} | batched, \
            f"{api} leaves out {declared - set(names)}"
        described = endpoints[api]["description"]
        for name in names:
            assert re.search(rf"^- {name}: \S", described, re.M), f"{api} does not say what {name} does"


def test_a_parameter_is_described_with_its_label_range_and_default(endpoints):
    described = endpoints["/generate"]["description"]
    assert "- n: Batch size. Images from one seed; image i is the same whatever the batch. From 1 to 64. Default 1." \
        in described
    names = [p["parameter_name"] for p in endpoints["/stylize"]["parameters"]]
    assert names[:6] == ["model", "content", "style1", "style2", "style3", "style4"] and "tv_weight" in names
