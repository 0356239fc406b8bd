"""Each task is declared once: its settings dataclass and its method table. These tests iterate the declarations (and
the registry) instead of naming models, and check that the CLI, the UI and the checks all read the same fields."""
import argparse
import dataclasses
import inspect
import types

import gradio as gr
import pytest

from genart import cli, loaders
from genart.errors import GenartError
from genart.pipelines import settings as settings_module
from genart.pipelines.chat import ChatSettings
from genart.pipelines.inpaint import InpaintSettings
from genart.pipelines.melody import MelodySettings
from genart.pipelines.repair import RepairSettings
from genart.pipelines.runner import TASKS
from genart.pipelines.settings import Knob, for_model, settings_of
from genart.pipelines.text import TextSettings
from genart.registry import AUTO_ARCH, BUILTIN, HELPER_TASKS
from genart.registry import TASKS as MODEL_TASKS
from genart.ui import (
    chat_tab,
    compare_tab,
    encode_panel,
    generate_tab,
    imagine_panel,
    inpaint_tab,
    melody_tab,
    repair_tab,
    sentence_vae_tab,
    style_tab,
    text_tab,
)
from genart.ui.language import english

COMMANDS = {"imagine": "imagine", "imagine_walk": "imagine-walk", "generate": "generate", "interpolate": "interpolate",
            "encode": "encode", "inpaint": "inpaint", "restore": "restore", "style": "stylize", "text": "text",
            "chat": "chat", "reconstruct": "text", "between": "text", "melody": "melody", "repair": "repair", "mix": "mix",
            "project": "project"}
# The sentence VAE's actions are flags of the text command: their sentences come from --prompt and --between A B.
FLAG_OF = {("reconstruct", "sentence"): "prompt", ("between", "sentence_a"): "between",
           ("between", "sentence_b"): "between"}


def test_the_registry_and_the_declarations_agree():
    assert set(MODEL_TASKS) == {t.models_for for t in TASKS.values()}
    for spec in BUILTIN:
        if spec.task in HELPER_TASKS:  # an instrument other tasks load (CLIP), not a task of its own
            assert spec.arch in loaders.ARCHITECTURES and loaders.ARCHITECTURES[spec.arch].task == spec.task
            continue
        task = TASKS[spec.task]
        assert spec.arch != AUTO_ARCH and spec.arch in task.methods, spec.name
        names = {s.name for s in settings_of(task.settings)}
        assert set(spec.defaults) <= names, f"{spec.name}'s defaults name settings its task does not have"
    for arch, entry in loaders.ARCHITECTURES.items():  # what a Hub repo can be detected as, its task can run
        assert entry.task in HELPER_TASKS or arch in TASKS[entry.task].methods, arch


def test_every_setting_has_a_knob_with_a_range_for_numbers():
    for task in TASKS.values():
        for s in settings_of(task.settings):
            assert s.knob.label, (task.name, s.name)
            if s.kind in (int, float):
                assert s.knob.low is not None and s.knob.high is not None and s.knob.low <= s.default <= s.knob.high


def subcommand(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices[name]


def flags(command: str) -> dict[str, argparse.Action]:
    return {a.dest: a for a in subcommand(cli.build_parser(), command)._actions}


def test_every_setting_is_a_flag_whose_help_says_its_range_and_default():
    for name, task in TASKS.items():
        actions = flags(COMMANDS[name])
        for s in settings_of(task.settings):
            if (name, s.name) in FLAG_OF:
                assert FLAG_OF[name, s.name] in actions
                continue
            action = actions[s.name]
            assert action.default is argparse.SUPPRESS  # not given: the model's registry default, else the field's
            assert s.knob.label in action.help
            if s.kind in (int, float):
                bounds = f"{int(s.knob.low)} to {int(s.knob.high)}" if s.kind is int else \
                    f"{s.knob.low:g} to {s.knob.high:g}"
                assert f"({bounds}; default {s.default})" in action.help


def built_fields() -> dict[str, dict]:
    with gr.Blocks():
        _, imagine_fields = imagine_panel.build()
        _, generate_fields = generate_tab.build()
        _, _, inpaint_fields = inpaint_tab.build()
        _, style_fields = style_tab.build()
        text_fields = text_tab.build()
        chat_fields = chat_tab.build()
        vae_fields = sentence_vae_tab.build()
        compare_fields = compare_tab.build()
        melody_fields = melody_tab.build()
        repair_fields = repair_tab.build(melody_fields["audio"])
    return {"melody": melody_fields, "repair": {k.removeprefix(repair_tab.PREFIX): v for k, v in repair_fields.items()},
            "imagine": {k.removeprefix("imagine_"): v for k, v in imagine_fields.items()},
            "imagine_walk": {k.removeprefix("imagine_"): v for k, v in imagine_fields.items()},
            "generate": generate_fields, "interpolate": generate_fields, "inpaint": inpaint_fields,
            "encode": {"label": generate_fields["encode_label"]},
            "mix": {"label": generate_fields["label"]} | {k.removeprefix("mix_"): v for k, v in generate_fields.items()
                                                          if k.startswith("mix_")},
            "project": {"label": generate_fields["label"]} | {k.removeprefix("project_"): v for k, v in
                                                              generate_fields.items() if k.startswith("project_")},
            "restore": inpaint_fields, "style": style_fields, "text": text_fields, "compare": compare_fields,
            "chat": {k.removeprefix("chat."): v for k, v in chat_fields.items()},
            "reconstruct": {k.removeprefix("vae."): v for k, v in vae_fields.items()},
            "between": {k.removeprefix("vae."): v for k, v in vae_fields.items()}}


# Where a tab deliberately starts elsewhere than the default (its range and label are still the field's).
STARTING = {("imagine", "n"): 8, ("generate", "n"): generate_tab.STARTING_BATCH, ("generate", "label"): "landscape",
            ("interpolate", "label"): "landscape", ("interpolate", "label_b"): generate_tab.NO_MORPH[1],
            ("mix", "label"): "landscape", ("project", "label"): "landscape",
            ("encode", "label"): encode_panel.NEAREST[1], ("reconstruct", "sentence"): sentence_vae_tab.EXAMPLE_A,
            ("between", "sentence_a"): sentence_vae_tab.EXAMPLE_A, ("between", "sentence_b"): sentence_vae_tab.EXAMPLE_B,
            ("text", "n"): text_tab.STARTING_COMPLETIONS, ("text", "prompt"): "«Quiet",
            ("melody", "primer"): "D4 E4 F#4 G4:4 A4:4", ("melody", "temperature"): 0.9}


def assert_control_reads(component, s, start):
    k = s.knob
    assert english(component.label) == k.label
    if isinstance(component, (gr.Slider, gr.Number)):
        assert (component.minimum, component.maximum) == (k.low, k.high)
    if isinstance(component, gr.Slider):
        assert component.step == k.step
    assert component.value == ("\n".join(start) if isinstance(start, list) else start)


def test_every_control_of_the_tabs_is_made_from_its_field():
    fields, seen = built_fields(), 0
    for name, task in TASKS.items():
        for s in settings_of(task.settings):
            # several controls, or none; the w a projection found, as JSON text
            if s.name in fields[name] and s.name not in ("style_weights", "turns", "row_w"):
                assert_control_reads(fields[name][s.name], s, STARTING.get((name, s.name), s.default))
                seen += 1
    for name, quick in compare_tab.FIELDS.items():
        for field_name in quick:
            s = settings_module.setting(TASKS[name].settings, field_name)
            start = compare_tab.QUICK.get(name, {}).get(field_name, {}).get("value", s.default)
            assert_control_reads(fields["compare"][f"{name}.{field_name}"], s, start)
            seen += 1
    assert seen >= 40


def test_the_text_api_defaults_are_the_fields_defaults():
    parameters = inspect.signature(text_tab.text_api).parameters
    for s in settings_of(TextSettings):
        if s.name not in ("prompt", "stop"):  # the prompt: the default model's example; stop: text, one per line
            assert parameters[s.name].default == s.default, s.name
    parameters = inspect.signature(chat_tab.chat_api).parameters
    for s in settings_of(ChatSettings):
        if s.name not in ("turns", "stop"):  # None for no turns; stop: text, one per line
            assert parameters[s.name].default == s.default, s.name
    parameters = inspect.signature(melody_tab.melody_api).parameters
    for s in settings_of(MelodySettings):
        if s.name != "primer":  # the default model's example
            assert parameters[s.name].default == s.default, s.name
    parameters = inspect.signature(repair_tab.repair_api).parameters
    for s in settings_of(RepairSettings):
        assert parameters[s.name].default == s.default, s.name


def test_every_range_is_checked_with_the_fields_label():
    for task in TASKS.values():
        for s in settings_of(task.settings):
            if s.kind in (int, float):
                with pytest.raises(GenartError, match=f"{s.knob.label} must be from"):
                    for_model(task.settings, {}, {s.name: s.knob.high + 1})
                with pytest.raises(GenartError, match=f"{s.knob.label} must be a"):
                    for_model(task.settings, {}, {s.name: "many"})


@pytest.fixture
def changed_feather(monkeypatch):
    """InpaintSettings.feather with another label and range, as if its one declaration had been edited."""
    feather = next(f for f in dataclasses.fields(InpaintSettings) if f.name == "feather")
    knob = Knob("Softening", "Pixels of soft edge.", 0, 16, 2)
    monkeypatch.setattr(feather, "metadata", types.MappingProxyType({"knob": knob}))
    settings_of.cache_clear()
    yield knob
    monkeypatch.undo()
    settings_of.cache_clear()


def test_changing_a_field_changes_the_flag_the_control_and_the_check(changed_feather):
    action = flags("inpaint")["feather"]
    assert "Softening" in action.help and "0 to 16" in action.help
    with gr.Blocks():
        _, _, fields = inpaint_tab.build()
    slider = fields["feather"]
    assert (english(slider.label), slider.maximum, slider.step) == ("Softening", 16, 2)
    with pytest.raises(GenartError, match="Softening must be from 0 to 16, got 20"):
        for_model(InpaintSettings, {}, {"feather": 20})


def test_a_registry_default_fills_what_was_not_given_and_yields_to_what_was():
    defaults = {"label": "mandala", "truncation": 1.5}
    generate = TASKS["generate"].settings
    assert for_model(generate, defaults, {}).label == "mandala"
    assert for_model(generate, defaults, {"truncation": 3.0}).truncation == 3.0
    assert for_model(generate, defaults, {"seed": 9, "weights_sha256": "ab"}).seed == 9  # other keys ignored
