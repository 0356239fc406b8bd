"""A sentence VAE (Bowman et al. 2016, "Generating Sentences from a Continuous Space", arXiv:1511.06349).

A bidirectional LSTM reads a sentence into a Gaussian posterior over a latent z; an LSTM decoder starts from a state
made from z and sees z beside every input token, so the latent steers the whole sentence. Decoding goes through
`decoder_for(z)`, a module with the call of genart's language models (setup_cache, forward(idx, ...), clear_cache), so
the one token loop in pipelines/decode.py samples from it; the recurrent state lives in that per-request module, never
in the shared loaded one.
"""
from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class SentenceVAEConfig:
    vocab_size: int = 1024
    n_embd: int = 256
    hidden_size: int = 256
    latent_dim: int = 32
    n_positions: int = 96  # the longest sentence it was trained on, in tokens
    model_type: str = "genart-sentence-vae"

    @property
    def dropped_word(self) -> int:
        """The id that word dropout puts in place of a decoder input (one row past the vocabulary)."""
        return self.vocab_size


class SentenceVAE(nn.Module):
    def __init__(self, config: SentenceVAEConfig):
        super().__init__()
        self.config = config
        E, H, D = config.n_embd, config.hidden_size, config.latent_dim
        self.wte = nn.Embedding(config.vocab_size + 1, E)  # + the dropped-word row
        self.encoder = nn.LSTM(E, H, batch_first=True, bidirectional=True)
        self.posterior = nn.Linear(2 * H, 2 * D)  # -> mean and log-variance
        self.initial = nn.Linear(D, 2 * H)  # z -> the decoder's first (h, c)
        self.decoder = nn.LSTM(E + D, H, batch_first=True)
        self.head = nn.Linear(H, config.vocab_size)

    def encode(self, tokens: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """tokens (B, T) right-padded, lengths (B,) -> (mean, log-variance), each (B, latent_dim)."""
        packed = nn.utils.rnn.pack_padded_sequence(self.wte(tokens), lengths.cpu(), batch_first=True,
                                                   enforce_sorted=False)
        _, (h, _) = self.encoder(packed)  # h: (2, B, H), the last real token's state each way
        return self.posterior(torch.cat([h[0], h[1]], dim=1)).chunk(2, dim=1)

    def start_state(self, z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """z (B, D) -> the decoder's (h, c), each (1, B, H)."""
        h, c = torch.tanh(self.initial(z)).chunk(2, dim=1)
        return h[None].contiguous(), c[None].contiguous()

    def decode_logits(self, z: torch.Tensor, inputs: torch.Tensor, state=None):
        """z (B, D), inputs (B, T) -> (logits (B, T, vocab), the state after them); from z's start state when none."""
        x = self.wte(inputs)  # (B, T, E)
        x = torch.cat([x, z[:, None].expand(-1, x.shape[1], -1).to(x.dtype)], dim=2)  # (B, T, E + D)
        y, state = self.decoder(x, self.start_state(z) if state is None else state)
        return self.head(y), state

    def decoder_for(self, z: torch.Tensor) -> "LatentDecoder":
        return LatentDecoder(self, z)

    def forward(self, tokens: torch.Tensor, lengths: torch.Tensor, inputs: torch.Tensor):
        """Training: the sentences (B, T) and their lengths, the decoder's inputs (B, T') -> (logits, mean, logvar)."""
        mean, logvar = self.encode(tokens, lengths)
        z = mean + torch.randn_like(mean) * (0.5 * logvar).exp()  # the reparameterisation trick
        logits, _ = self.decode_logits(z, inputs)
        return logits, mean, logvar


class LatentDecoder(nn.Module):
    """The decoder conditioned on latents z (B, D), with a language model's call; its state is its own."""

    def __init__(self, vae: SentenceVAE, z: torch.Tensor):
        super().__init__()
        self.vae, self.z, self.config = vae, z, vae.config
        self.state: tuple[torch.Tensor, torch.Tensor] | None = None

    def setup_cache(self, batch: int, max_len: int, dtype: torch.dtype | None = None):
        if batch != self.z.shape[0]:
            raise ValueError(f"{self.z.shape[0]} latents for {batch} sequences.")
        self.state = self.vae.start_state(self.z)

    def clear_cache(self):
        self.state = None

    def forward(self, idx: torch.Tensor, positions: torch.Tensor | None = None, mask: torch.Tensor | None = None,
                slots: torch.Tensor | None = None, last_only: bool = False) -> torch.Tensor:
        """idx (B, T) -> logits (B, T, vocab). Prompts must not be left-padded (one prompt for every row)."""
        if mask is not None and not bool(mask[:, 0, -1, :idx.shape[1]].all()):
            raise ValueError("A sentence VAE decodes prompts of one length only.")
        logits, state = self.vae.decode_logits(self.z, idx, self.state if slots is not None else None)
        if slots is not None:
            self.state = state
        return logits[:, -1:] if last_only else logits
