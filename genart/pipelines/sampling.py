"""From next-token logits to a token, in small functions after gpt-fast's generate.py."""
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class SamplingSettings:
    temperature: float = 0.8  # 0 = greedy
    top_k: int = 0  # 0 = off
    top_p: float = 1.0  # 1 = off
    min_p: float = 0.0  # 0 = off
    repetition_penalty: float = 1.0  # 1 = off


GREEDY = SamplingSettings(temperature=0)


def apply_repetition_penalty(logits: torch.Tensor, history: torch.Tensor, seen: torch.Tensor, penalty: float) -> torch.Tensor:
    """logits (B, V), history (B, T) token ids, seen (B, T) bool for real (non-padding) tokens.

    CTRL's rule (Keskar et al. 2019): a seen token's positive logit is divided by the penalty, a negative one multiplied.
    """
    if penalty == 1.0:
        return logits
    index = torch.where(seen, history, history.new_full((), logits.shape[1]))  # padding -> a dummy column past the end
    padded = torch.cat([logits, logits.new_zeros(logits.shape[0], 1)], dim=1)  # (B, V + 1)
    picked = padded.gather(1, index)
    picked = torch.where(picked > 0, picked / penalty, picked * penalty)
    return padded.scatter(1, index, picked)[:, :-1]


def logits_to_probs(logits: torch.Tensor, s: SamplingSettings) -> torch.Tensor:
    """(B, V) logits -> (B, V) probabilities after temperature, top-k, top-p and min-p."""
    logits = logits.float() / s.temperature
    if s.top_k:
        kth = torch.topk(logits, min(s.top_k, logits.shape[-1])).values[:, -1:]  # (B, 1)
        logits = logits.masked_fill(logits < kth, float("-inf"))
    probs = torch.softmax(logits, dim=-1)
    if s.min_p:
        probs = probs.masked_fill(probs < s.min_p * probs.max(dim=-1, keepdim=True).values, 0.0)
    if s.top_p < 1.0:
        sorted_probs, order = probs.sort(dim=-1, descending=True)
        before = sorted_probs.cumsum(-1) - sorted_probs  # mass of the tokens ranked above each one
        sorted_probs = sorted_probs.masked_fill(before >= s.top_p, 0.0)  # the top token always stays
        probs = torch.zeros_like(probs).scatter(-1, order, sorted_probs)
    return probs / probs.sum(dim=-1, keepdim=True)


def sample(logits: torch.Tensor, s: SamplingSettings, generator: torch.Generator) -> torch.Tensor:
    """(B, V) logits -> (B,) tokens; greedy when temperature is 0."""
    if s.temperature == 0:
        return logits.argmax(dim=-1)
    probs = logits_to_probs(logits, s)
    return torch.multinomial(probs.cpu(), 1, generator=generator).squeeze(1).to(logits.device)
