"""Train the DCGAN's transposed convolutions as resize-convolutions, and ship them as plain transposed convolutions.

A nearest-neighbour x2 resize followed by a 3x3 convolution (Odena et al. 2016, "Deconvolution and checkerboard
artifacts") is exactly a stride-2, kernel-4, padding-1 transposed convolution whose 4 taps per axis are sums of the 3
taps: [w2, w1 + w2, w0 + w1, w0]. Training the 3x3 weights through that map keeps every output pixel's phase tied to
the same weights, the cause of checkerboard patterns, at a transposed convolution's cost; folding the map in at the end
leaves the huggan layout, so the shipped generator needs no new code.
"""
import torch
from torch import nn
from torch.nn.utils import parametrize

from genart.models.dcgan import DCGANGenerator

# (4 transposed-convolution taps, 3 resize-convolution taps), one axis.
FOLD = torch.tensor([[0.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 1.0, 0.0], [1.0, 0.0, 0.0]])


class ResizeKernel(nn.Module):
    """A parametrization: 3x3 weights (c_in, c_out, 3, 3) -> the transposed convolution's (c_in, c_out, 4, 4)."""

    def forward(self, w3: torch.Tensor) -> torch.Tensor:
        fold = FOLD.to(w3)
        return torch.einsum("ka,ioab,lb->iokl", fold, w3, fold)

    def right_inverse(self, w4: torch.Tensor) -> torch.Tensor:
        """The 3x3 weights whose fold is closest to w4 (least squares): where training starts."""
        unfold = torch.linalg.pinv(FOLD).to(w4)  # (3, 4)
        return torch.einsum("ak,iokl,bl->ioab", unfold, w4, unfold)


def constrain(generator: nn.Module) -> nn.Module:
    """Make every x2 transposed convolution of the generator a resize-convolution, in place."""
    for module in generator.modules():
        if isinstance(module, nn.ConvTranspose2d) and module.stride == (2, 2):
            parametrize.register_parametrization(module, "weight", ResizeKernel())
    return generator


def folded(generator: DCGANGenerator) -> DCGANGenerator:
    """A plain copy with the folded weights in the original layout (model.N.weight), as the Hub folder stores them.
    (Removing the parametrization from a deep copy would also strip it from the original: they share a class.)"""
    state = {k: v for k, v in generator.state_dict().items() if ".parametrizations." not in k}
    for name, module in generator.named_modules():
        if parametrize.is_parametrized(module, "weight"):
            state[f"{name}.weight"] = module.weight.detach()
    plain = DCGANGenerator(generator.config).to(next(generator.parameters()).device)
    plain.load_state_dict(state)
    return plain.train(generator.training)
