"""IOPaint's big-lama.pt as a module: the TorchScript program, called the way genart calls every inpainting net."""
import torch
from torch import nn


class TorchScriptInpainter(nn.Module):
    """(image (1, 3, H, W) in [0, 1], mask (1, 1, H, W)) -> (1, 3, H, W) in [0, 1]."""
    pad_multiple = 8

    def __init__(self, scripted: torch.jit.ScriptModule):
        super().__init__()
        self.scripted = scripted

    def forward(self, image, mask):
        return self.scripted(image, mask)
