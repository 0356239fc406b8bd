import pytest

from genart.errors import GenartError
from genart.registry import get_spec, list_models, parse_hub_name


def test_builtin_generate_models():
    names = [s.name for s in list_models("generate")]
    assert names == ["dcgan-art-64", "vae-art-64", "biggan-deep-128", "biggan-deep-256", "biggan-deep-512",
                     "procedural-art", "progan-celebahq-256", "progan-celebahq-512", "progan-dtd", "stylegan2-metfaces",
                     "stylegan2-afhqcat", "stylegan2-cifar10"]
    assert get_spec("dcgan-art-64").embedded and get_spec("dcgan-art-64").source == "weights/dcgan-art-64"
    biggan = get_spec("biggan-deep-256")
    assert (biggan.arch, biggan.repo_id, biggan.defaults["label"]) == ("biggan", "osanseviero/BigGAN-deep-256",
                                                                       "golden retriever")


def test_unknown_model_lists_the_known_names_of_its_task():
    with pytest.raises(GenartError) as err:
        get_spec("dcgan-art-128", task="generate")
    assert "dcgan-art-64" in str(err.value) and "procedural-art" in str(err.value) and "hf-hub:" in str(err.value)


def test_an_unknown_model_of_no_task_names_the_closest_and_stays_one_short_sentence():
    with pytest.raises(GenartError) as refused:
        get_spec("inpaint-ar")
    message = str(refused.value)
    assert "did you mean inpaint-art" in message and f"the {len(list_models())} built-in models" in message
    assert len(message) < 300 and "gpt2" not in message  # not every name of every task


def test_wrong_task_says_which_task_it_is_for():
    with pytest.raises(GenartError, match="for the generate task, not inpaint"):
        get_spec("dcgan-art-64", task="inpaint")


def test_unknown_task_is_refused():
    with pytest.raises(GenartError, match="Unknown task 'paint'"):
        list_models("paint")


@pytest.mark.parametrize("name, expected", [
    ("hf-hub:huggan/dcgan-mnist", ("huggan/dcgan-mnist", "main")),
    ("hf-hub:org/model.v2@abc123", ("org/model.v2", "abc123")),
])
def test_hub_names_parse(name, expected):
    assert parse_hub_name(name) == expected
    spec = get_spec(name)
    assert (spec.repo_id, spec.revision, spec.arch) == (*expected, "auto")


@pytest.mark.parametrize("name", ["hf-hub:", "hf-hub:no-slash", "hf-hub:a/b@", "hf-hub:a/b/c"])
def test_bad_hub_names_say_the_form(name):
    with pytest.raises(GenartError, match="hf-hub:org/name"):
        get_spec(name)


def test_a_builtin_hub_model_can_be_pinned_to_another_revision():
    spec = get_spec("gpt2@0123abc", task="text")
    assert (spec.name, spec.revision, spec.repo_id) == ("gpt2", "0123abc", get_spec("gpt2").repo_id)
    with pytest.raises(GenartError, match="dcgan-art-64 is not a Hub model, so it has no revisions"):
        get_spec("dcgan-art-64@v2")
