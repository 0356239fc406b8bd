import pytest
import torch

from genart.models.dcgan import DCGANConfig, DCGANGenerator
from genart.pipelines.interpolate import slerp
from genart.pipelines.latent_models import latents

HUGGAN_KEYS = ["model.0.weight"] + [f"model.{i}.{p}" for i in (1, 4, 7, 10)
                                    for p in ("weight", "bias", "running_mean", "running_var", "num_batches_tracked")
                                    ] + [f"model.{i}.weight" for i in (3, 6, 9, 12)]


def test_unconditional_generator_has_exactly_the_huggan_keys_and_shapes():
    state = DCGANGenerator(DCGANConfig()).state_dict()
    assert sorted(state) == sorted(HUGGAN_KEYS)
    assert state["model.0.weight"].shape == (100, 512, 4, 4)
    assert state["model.3.weight"].shape == (512, 256, 4, 4)
    assert state["model.12.weight"].shape == (64, 3, 4, 4)
    assert state["model.10.running_var"].shape == (64,)


def test_output_shape_and_range():
    model = DCGANGenerator(DCGANConfig(hidden_size=8)).eval()
    out = model(torch.randn(5, 100, 1, 1))
    assert out.shape == (5, 3, 64, 64)
    assert out.min() >= -1 and out.max() <= 1


def test_conditional_needs_labels_and_uses_them():
    torch.manual_seed(0)
    model = DCGANGenerator(DCGANConfig(hidden_size=8, num_classes=6, label_dim=4)).eval()
    z = torch.randn(2, 100)
    with pytest.raises(ValueError, match="pass a label"):
        model(z)
    a, b = model(z, torch.tensor([0, 0])), model(z, torch.tensor([3, 3]))
    assert not torch.allclose(a, b)
    assert "label_embedding.weight" in model.state_dict()


def test_latents_are_prefix_stable_per_seed():
    assert torch.equal(latents(9, 5, 100)[:2], latents(9, 2, 100))
    assert not torch.equal(latents(9, 1, 100), latents(10, 1, 100))


def test_slerp_hits_both_ends_and_keeps_the_norm_range():
    a, b = latents(1, 1, 100)[0], latents(2, 1, 100)[0]
    path = slerp(a, b, torch.linspace(0, 1, 7))
    assert path.shape == (7, 100)
    assert torch.allclose(path[0], a, atol=1e-5) and torch.allclose(path[-1], b, atol=1e-5)
    mid = path[3].norm()
    assert mid > 0.9 * min(a.norm(), b.norm())  # a straight line would sag towards the origin


def test_discriminator_sees_batch_variety():
    from genart.models.dcgan import ProjectionDiscriminator, minibatch_stddev

    same = torch.ones(8, 5, 4, 4)
    varied = torch.randn(8, 5, 4, 4)
    assert minibatch_stddev(same).shape == (8, 6, 4, 4)
    assert minibatch_stddev(same)[:, -1].max() < 1e-3 < minibatch_stddev(varied)[:, -1].min()
    disc = ProjectionDiscriminator(DCGANConfig(hidden_size=8, num_classes=6, label_dim=4))
    score, classes = disc(torch.randn(8, 3, 64, 64), torch.arange(8) % 6)
    assert score.shape == (8,) and classes.shape == (8, 6)
