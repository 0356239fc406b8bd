"""Batches: a folder, a zip or a list of prompts through one task; outputs with records, a JSONL log, a contact sheet,
resumed where an earlier run stopped, failures listed and not fatal; from the CLI and the API."""
import json
import secrets
import zipfile

import pytest
from gradio_client import Client, handle_file
from PIL import Image

from genart.cli import main
from genart.data.procedural import render
from genart.errors import GenartError
from genart.pipelines import batch
from genart.replay import read_record
from tests.raw_api import call


@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    for i, name in enumerate(["landscape", "mandala", "mondrian"]):
        render(name, i, 48).save(src / f"{name}.png")
    render("mandala", 9, 40).save(src / "sub" / "mandala.png")
    (src / "broken.png").write_bytes(b"not a png")
    (src / "notes.txt").write_text("not an input")
    return src


def run(task, model, params, items, out, shared=None, stopped=lambda: False):
    return list(batch.run_batch(task, model, params, items, shared or {}, out, stopped))


def test_a_folder_is_restored_logged_and_a_rerun_skips_what_is_done(folder, tmp_path):
    items = batch.folder_items(folder)
    assert [i.name for i in items] == ["broken.png", "landscape.png", "mandala.png", "mondrian.png", "sub/mandala.png"]
    out = tmp_path / "out"
    done = run("restore", "median-filter", {"noise_level": 20}, items, out)
    assert [d.outputs for d in done] == [(), ("landscape.png",), ("mandala.png",), ("mondrian.png",),
                                         ("sub_mandala.png",)]
    assert "broken.png is not an image file" in done[0].error
    record = read_record(out / "sub_mandala.png")
    assert record["model"] == "median-filter" and record["noise_level"] == 20
    log = [json.loads(line) for line in (out / batch.LOG).read_text().splitlines()]
    assert [e["input"] for e in log] == [i.name for i in items] and log[0]["error"] and not log[1]["error"]

    again = run("restore", "median-filter", {"noise_level": 20}, items, out)
    assert [d.skipped for d in again] == [False, True, True, True, True]  # the failure is tried again
    other = run("restore", "median-filter", {"noise_level": 40}, items, out)
    assert not any(d.skipped for d in other)  # other settings: made again, over the same names
    back = run("restore", "median-filter", {"noise_level": 20}, items, out)
    assert not any(d.skipped for d in back)  # the files on disk are the noise_level 40 ones now

    sheet = Image.open(batch.contact_sheet(out, back))
    assert sheet.size == (5 * batch.THUMB, batch.THUMB + batch.LABEL)
    with zipfile.ZipFile(batch.zip_results(out, back, tmp_path / "r.zip")) as z:
        assert sorted(z.namelist()) == sorted(["landscape.png", "mandala.png", "mondrian.png", "sub_mandala.png",
                                               batch.LOG, batch.SHEET])


def test_a_stopped_batch_resumes_with_the_rest(folder, tmp_path):
    items = batch.folder_items(folder)[1:]
    first = run("restore", "median-filter", {}, items, tmp_path, stopped=lambda: len(list(tmp_path.glob("*.png"))) >= 2)
    assert len(first) == 2
    rest = run("restore", "median-filter", {}, items, tmp_path)
    assert [d.skipped for d in rest] == [True, True, False, False]


def test_zips_prompts_and_bounds(folder, tmp_path, monkeypatch):
    archive = tmp_path / "art.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(folder / "mandala.png", "art/mandala.png")
        big = tmp_path / "big.png"
        render("stained_glass", 1, 256).save(big)
        z.write(big, "art/big.png")
        z.write(folder / "mondrian.png", "__MACOSX/._mondrian.png")
        z.write(folder / "mondrian.png", ".hidden.png")
        z.writestr("readme.md", "words")
        z.writestr("empty/", "")
    items = batch.zip_items(archive)
    assert [i.name for i in items] == ["art/big.png", "art/mandala.png"]
    assert items[1].read() == (folder / "mandala.png").read_bytes()
    monkeypatch.setattr(batch, "MAX_FILE_BYTES", (folder / "mandala.png").stat().st_size)
    done = run("restore", "median-filter", {}, items, tmp_path / "out")  # an input too large fails alone
    assert "big.png is larger than" in done[0].error and done[1].outputs == ("art_mandala.png",)
    monkeypatch.setattr(batch, "MAX_ZIP_MEMBERS", 5)
    with pytest.raises(GenartError, match="art.zip holds 6 files; zip at most 5"):
        batch.zip_items(archive)
    (tmp_path / "photos.zip").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(GenartError, match="photos.zip is not a zip file genart can read"):
        batch.zip_items(tmp_path / "photos.zip")
    assert [i.read() for i in batch.prompt_items("a mandala\n\n  the sea \n")] == ["a mandala", "the sea"]
    items = batch.folder_items(folder)
    with pytest.raises(GenartError, match="at most 3 a batch, so split it"):
        batch.check_size(items, 3, None)
    with pytest.raises(GenartError, match="holds 0 megapixels; this server takes at most 0 a batch"):
        batch.check_size(items, 10, 1000)
    with pytest.raises(GenartError, match="The batch is empty"):
        batch.check_size([], 10, None)
    with pytest.raises(GenartError, match="The generate task takes no batch; batch one of: imagine, inpaint"):
        run("generate", "dcgan-art-64", {}, items, tmp_path)


def test_cli_batches_prompts_and_a_folder_and_lists_failures(folder, tmp_path, capsys):
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a mandala with twelve petals in blue and teal\n\na mondrian in red and yellow\n")
    assert main(["batch", "imagine", "--in", str(prompts), "--out", str(tmp_path / "im"), "--n", "2"]) == 0
    names = sorted(p.name for p in (tmp_path / "im").glob("*.png"))
    assert names == ["0001-a-mandala-with-twelve-petals-in-blue-and-0.png",
                     "0001-a-mandala-with-twelve-petals-in-blue-and-1.png",
                     "0002-a-mondrian-in-red-and-yellow-0.png", "0002-a-mondrian-in-red-and-yellow-1.png"]
    assert read_record(tmp_path / "im" / names[2])["prompt"] == "a mondrian in red and yellow"
    assert main(["batch", "restore", "--model", "median-filter", "--in", str(folder), "--out",
                 str(tmp_path / "re")]) == 1
    err = capsys.readouterr().err
    assert "failed: broken.png: broken.png is not an image file" in err and "4 outputs made, 0 skipped (done before)" in err
    assert main(["batch", "inpaint", "--model", "telea", "--in", str(folder / "mandala.png"), "--mask",
                 str(folder / "mondrian.png"), "--out", str(tmp_path / "in")]) == 0
    assert read_record(tmp_path / "in" / "mandala.png")["model"] == "telea"
    assert main(["batch", "inpaint", "--model", "telea", "--in", str(folder / "mandala.png"), "--out",
                 str(tmp_path / "no-mask")]) == 0
    assert "1 input(s): The mask is empty: paint the area to fill." in capsys.readouterr().err
    assert main(["batch", "restore", "--in", str(tmp_path / "missing"), "--out", str(tmp_path)]) == 2


def test_the_api_batches_uploads_resumes_and_reads_only_uploads(app_url, folder, tmp_path):
    client = Client(app_url, verbose=False)
    # images no earlier run of this machine's servers has batched (they share the output folder)
    for name in ("mandala", "mondrian"):
        render(name, secrets.randbelow(2**31), 48).save(folder / f"{name}.png")
    files = [handle_file(str(folder / n)) for n in ("mandala.png", "mondrian.png", "broken.png")]
    status, sheet, archive = client.predict(model="median-filter", source=files, noise_level=10,
                                            api_name="/batch_restore")
    assert status.startswith("3/3 inputs · 2 outputs made · 0 skipped (done before) · 1 failed")
    assert "finished" in status
    assert "broken.png: broken.png is not an image file" in status
    with zipfile.ZipFile(archive) as z:
        assert {"mandala.png", "mondrian.png", batch.LOG, batch.SHEET} == set(z.namelist())
    assert Image.open(sheet).size == (3 * batch.THUMB, batch.THUMB + batch.LABEL)
    status, *_ = client.predict(model="median-filter", source=files, noise_level=10, api_name="/batch_restore")
    assert "0 outputs made · 2 skipped (done before)" in status
    stolen = {"path": str(folder / "mandala.png"), "meta": {"_type": "gradio.FileData"}}
    assert "reads only files uploaded" in call(app_url, "batch_restore", ["median-filter", [stolen], 10]).error
    with pytest.raises(Exception, match="A Fill batch fills one region in every image: paint over it"):
        client.predict(model="telea", source=files[:1], api_name="/batch_inpaint")
    with pytest.raises(Exception, match="This batch has 51 inputs; this server takes at most 50 a batch"):
        client.predict(model="text2art-64", source="x\n" * 51, api_name="/batch_imagine")
