"""Arena ratings: Bradley–Terry strengths fitted by maximum likelihood to all of a task's votes at once, with
bootstrap 95% intervals, the way Chatbot Arena computes its leaderboard (not online Elo, which depends on the order
the votes came in).

P(a beats b) = sigmoid(s_a - s_b). A tie (or "both bad") counts as half a win for each side, as Chatbot Arena
counts it. The fit is Newton's method on the log-likelihood plus a unit Gaussian prior on each strength (what
scikit-learn's logistic regression with C=1 adds): it keeps a model that won or lost every vote finite, and a
handful of votes from claiming hundreds of points, while over a hundred votes it moves a rating by under 1%.
Strengths are shown on the Elo scale: 1000 + 400 log10(e) s, centred on the mean model.

Own code rather than a library: thirty lines of numpy, the tie rule above is explicit, and the tests check the fit
against scikit-learn's logistic regression on the same design (scikit-learn is a dev dependency only).
"""
from dataclasses import dataclass

import numpy as np

SCALE = 400 / np.log(10)  # Elo points per unit of strength
CENTRE = 1000.0
PRIOR = 1.0
WINS = {"a": 1.0, "b": 0.0, "tie": 0.5, "bad": 0.5}  # A's share of the win


@dataclass(frozen=True)
class Standing:
    model: str
    rating: float
    low: float  # 95% bootstrap interval
    high: float
    votes: int
    win_rate: float  # wins + half the ties, over votes


def strengths(pairs: np.ndarray, outcome: np.ndarray, k: int, iterations: int = 50) -> np.ndarray:
    """pairs (n, 2) model indices (a, b), outcome (n,) A's share of the win -> (k,) strengths, mean zero."""
    s = np.zeros(k)
    a, b = pairs[:, 0], pairs[:, 1]
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-(s[a] - s[b])))  # (n,) P(a beats b)
        residual = outcome - p  # the gradient of the log-likelihood with respect to s_a - s_b
        grad = np.bincount(a, residual, k) - np.bincount(b, residual, k) - PRIOR * s
        w = p * (1 - p)
        hess = np.diag(np.bincount(a, w, k) + np.bincount(b, w, k) + PRIOR)  # minus the Hessian, (k, k)
        np.add.at(hess, (a, b), -w)
        np.add.at(hess, (b, a), -w)
        step = np.linalg.solve(hess, grad)
        s += step
        if np.abs(step).max() < 1e-10:
            break
    return s - s.mean()


def leaderboard(votes: list[tuple[str, str, str]], rounds: int = 200, seed: int = 0) -> list[Standing]:
    """votes: (model A, model B, winner: a, b, tie or bad) -> the standings, best first."""
    if not votes:
        return []
    models = sorted({m for a, b, _ in votes for m in (a, b)})
    index = {m: i for i, m in enumerate(models)}
    pairs = np.array([(index[a], index[b]) for a, b, _ in votes])  # (n, 2)
    outcome = np.array([WINS[w] for *_, w in votes])  # (n,)
    k = len(models)
    rating = CENTRE + SCALE * strengths(pairs, outcome, k)
    rng = np.random.default_rng(seed)
    samples = np.stack([CENTRE + SCALE * strengths(pairs[i], outcome[i], k)
                        for i in (rng.integers(0, len(votes), len(votes)) for _ in range(rounds))])  # (rounds, k)
    low, high = np.percentile(samples, [2.5, 97.5], axis=0)
    count = np.bincount(pairs.ravel(), minlength=k)
    won = np.bincount(pairs[:, 0], outcome, k) + np.bincount(pairs[:, 1], 1 - outcome, k)
    table = [Standing(m, float(rating[i]), float(low[i]), float(high[i]), int(count[i]), float(won[i] / count[i]))
             for i, m in enumerate(models)]
    return sorted(table, key=lambda s: -s.rating)
