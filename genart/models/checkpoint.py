"""The error a checkpoint's key map raises when the file does not fit the architecture (kept under `python -O`,
unlike an assert): it names the key and the shapes or counts."""
import torch


class CheckpointMismatch(ValueError):
    pass


def expect(condition: bool, message: str):
    if not condition:
        raise CheckpointMismatch(message)


def expect_shape(state: dict[str, torch.Tensor], key: str, shape: tuple[int, ...]):
    expect(key in state, f"{key} is missing")
    expect(tuple(state[key].shape) == shape, f"{key} is {tuple(state[key].shape)}, expected {shape}")
