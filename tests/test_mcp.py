"""`GENART_MCP=1`: an MCP client (the `mcp` package) lists genart's endpoints as tools, named after them, with their
parameters and what each does, and calls one; a bad argument gets the endpoint's own sentence."""
import asyncio
import io
import json
import re

import httpx
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamablehttp_client
from PIL import Image

from genart.replay import KEY
from tests.conftest import start_app, stop_app


@pytest.fixture(scope="module")
def mcp_url():
    url, proc, log = start_app({"GENART_MCP": "1"})
    yield f"{url}/gradio_api/mcp/"
    stop_app(proc, log)


async def session_run(url: str, work):
    async with streamablehttp_client(url) as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            return await work(session)


def test_the_tools_are_the_endpoints_with_their_parameters_described(mcp_url):
    tools = {t.name: t for t in asyncio.run(session_run(mcp_url, lambda s: s.list_tools())).tools}
    assert {"generate", "imagine", "inpaint", "restore", "stylize", "text", "melody", "repair", "compare",
            "batch_restore", "batch_imagine"} <= set(tools)
    generate = tools["generate"]
    assert generate.description.startswith("A batch of images from a generative model")
    assert {"model", "label", "seed", "n", "truncation", "size"} <= set(generate.inputSchema["properties"])
    assert "Images from one seed" in generate.description


def test_a_tool_call_makes_images_and_a_bad_argument_gets_the_sentence(mcp_url):
    async def work(session):
        made = await session.call_tool("generate", {"model": "dcgan-art-64", "label": "mandala", "seed": 3, "n": 2})
        refused = await session.call_tool("text", {"model": "text-art", "prompt": "«Quiet", "temperature": 9})
        batched = await session.call_tool("batch_imagine", {"model": "text2art-64", "n": 1,
                                                            "source": "a red mondrian\na mandala in teal"})
        return made, refused, batched

    made, refused, batched = asyncio.run(session_run(mcp_url, work))
    assert not batched.isError and "2/2 inputs" in batched.content[0].text and "finished" in batched.content[0].text
    assert not made.isError
    urls = sorted(set(re.findall(r"'url': '(http[^']+/3-[01]\.png)'", made.content[0].text)))  # the gallery's two
    assert len(urls) == 2
    pictures = [Image.open(io.BytesIO(httpx.get(url, timeout=30).content)) for url in urls]
    assert [p.size for p in pictures] == [(64, 64)] * 2
    assert sorted(json.loads(p.info[KEY])["index"] for p in pictures) == [0, 1]
    assert refused.isError and "Temperature must be from 0.0 to 5.0" in refused.content[0].text
