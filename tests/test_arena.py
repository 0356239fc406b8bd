"""The arena: Bradley–Terry ratings with bootstrap intervals against a reference fit and simulated voters; rounds on
every task that has two models here; votes that count only as the rules say."""
import json

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from genart import arena, ratings, store, vote_sync
from genart.cli import main as cli
from genart.errors import GenartError


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(store.DATA_DIR, str(tmp_path / "data"))
    return tmp_path / "data"


def simulated(strength: np.ndarray, n: int, rng: np.random.Generator, ties: float = 0.0) -> list[tuple]:
    """Votes of voters who prefer model i to j with probability sigmoid(s_i - s_j)."""
    votes = []
    for _ in range(n):
        i, j = rng.choice(len(strength), 2, replace=False)
        if rng.random() < ties:
            votes.append((f"m{i}", f"m{j}", "tie"))
        else:
            votes.append((f"m{i}", f"m{j}", "a" if rng.random() < 1 / (1 + np.exp(strength[j] - strength[i])) else "b"))
    return votes


def test_the_fit_is_the_logistic_regression_chatbot_arena_runs_ties_counted_half():
    votes = simulated(np.array([0.8, 0.1, -0.2, -0.7, 0.0]), 600, np.random.default_rng(0), ties=0.2)
    models = sorted({m for a, b, _ in votes for m in (a, b)})
    rows, wins, weights = [], [], []
    for a, b, w in votes:  # a tie is a half win each way
        x = np.zeros(len(models))
        x[models.index(a)], x[models.index(b)] = 1, -1
        for won, weight in ((1, ratings.WINS[w]), (0, 1 - ratings.WINS[w])):
            if weight:
                rows.append(x)
                wins.append(won)
                weights.append(weight)
    reference = LogisticRegression(C=1 / ratings.PRIOR, fit_intercept=False, tol=1e-10, max_iter=10_000)
    reference.fit(np.array(rows), np.array(wins), sample_weight=np.array(weights))
    mine = {s.model: s.rating for s in ratings.leaderboard(votes, rounds=2)}
    theirs = ratings.CENTRE + ratings.SCALE * (reference.coef_[0] - reference.coef_[0].mean())
    assert np.allclose([mine[m] for m in models], theirs, atol=0.05)


def test_simulated_voters_give_the_right_order_and_intervals_that_hold_the_true_values():
    strength = np.array([1.0, 0.5, 0.0, -0.8])
    true = ratings.CENTRE + ratings.SCALE * (strength - strength.mean())
    table = ratings.leaderboard(simulated(strength, 3000, np.random.default_rng(1)), rounds=100)
    assert [s.model for s in table] == ["m0", "m1", "m2", "m3"]
    assert sum(s.votes for s in table) == 6000 and all(s.low < s.rating < s.high for s in table)
    inside = []
    for seed in range(20):  # 80 intervals: about 95% of them should hold their model's true rating
        for s in ratings.leaderboard(simulated(strength, 600, np.random.default_rng(100 + seed)), rounds=60, seed=seed):
            inside.append(s.low <= true[int(s.model[1])] <= s.high)
    assert 0.85 <= np.mean(inside) <= 1.0, np.mean(inside)


def test_a_round_on_every_task_with_two_models_here_and_a_vote_that_reveals_them(data_dir):
    quick = {"generate": ("dcgan-art-64", "procedural-art"), "inpaint": ("telea", "mean-fill"),
             "style": ("fast-stained-glass", "fast-flow-field"), "restore": ("median-filter", "gaussian-filter"),
             "text": ("text-art", "text-art-lstm"), "melody": ("melody-lstm", "melody-transformer"),
             "repair": ("silence", "lpc-interpolation")}
    assert set(quick) <= set(arena.arena_tasks())
    for task, pair in quick.items():
        assert set(pair) <= set(arena.contenders(task))
        played = arena.play(task, "alice", seed=5, pair=pair)
        assert played.a.record["model"] != played.b.record["model"]
        assert played.a.record.get("seed") == played.b.record.get("seed") == played.params["seed"] == 5 or \
            "seed" not in played.a.record  # a task without a seed takes the seed's example input
        arena.shown(played, b"a", ".png", b"b", ".png")
        assert set(arena.vote(played.token, "alice", "a")) == {played.a.record["model"], played.b.record["model"]}
    [line] = arena.vote_lines("text")
    assert json.loads(line)["record_a"]["task"] == "text"


def test_forged_votes_are_refused_with_one_sentence_each(data_dir):
    played = arena.play("generate", "alice", seed=1, pair=("dcgan-art-64", "procedural-art"))
    refusals = {
        "before the outputs": (played.token, "alice", "a", "have not both arrived"),
        "unknown round": ("x" * 24, "alice", "a", "did not show you"),
        "another voter's round": (played.token, "mallory", "a", "did not show you"),
        "a choice that is none": (played.token, "alice", "A; DROP TABLE votes", "A vote is one of"),
        "no token": (None, "alice", "a", "names no round"),
    }
    for why, (token, voter, choice, sentence) in refusals.items():
        with pytest.raises(GenartError, match=sentence):
            arena.vote(token, voter, choice)
    arena.shown(played, b"a", ".png", b"b", ".png")
    assert arena.vote(played.token, "alice", "b") == ("dcgan-art-64", "procedural-art")
    with pytest.raises(GenartError, match="already has your vote"):
        arena.vote(played.token, "alice", "a")  # a replayed vote
    for _ in range(arena.VOTES_PER_MINUTE - 1):
        again = arena.play("generate", "alice", seed=2, pair=("dcgan-art-64", "procedural-art"))
        arena.shown(again, b"a", ".png", b"b", ".png")
        arena.vote(again.token, "alice", "tie")
    again = arena.play("generate", "alice", seed=3, pair=("dcgan-art-64", "procedural-art"))
    arena.shown(again, b"a", ".png", b"b", ".png")
    with pytest.raises(GenartError, match="votes a minute"):
        arena.vote(again.token, "alice", "a")
    [standing] = [s for s in arena.standings("generate") if s.model == "procedural-art"]
    assert standing.votes == arena.VOTES_PER_MINUTE
    with pytest.raises(GenartError, match="fewer than two models|arena has these tasks"):
        arena.play("imagine" if "imagine" not in arena.arena_tasks() else "nonsense", "alice")


def test_the_cli_prints_the_leaderboard_and_exports_the_votes(data_dir, capsys):
    for winner in ("a", "a", "b"):
        played = arena.play("restore", "bob", seed=4, pair=("denoise-art", "median-filter"))
        arena.shown(played, b"a", ".png", b"b", ".png")
        arena.vote(played.token, "bob", winner)
    cli(["arena", "leaderboard", "--task", "restore"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:3] == ["#", "model", "rating"]
    assert out[1].split()[1] == "denoise-art" and out[1].split()[-2:] == ["3", "67%"]
    cli(["arena", "export", "--task", "restore"])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [v["winner"] for v in lines] == ["a", "a", "b"] and lines[0]["record_b"]["model"] == "median-filter"


def test_votes_are_pushed_to_a_hub_dataset_and_read_back_after_a_restart_on_an_empty_disk(hub_server, data_dir,
                                                                                            tmp_path, monkeypatch):
    monkeypatch.setenv(vote_sync.DATASET, "someone/arena-votes")
    monkeypatch.setenv("HF_TOKEN", "hf_loopback")
    sync = vote_sync.start()
    try:
        for winner in ("a", "tie"):
            played = arena.play("repair", "carol", seed=1, pair=("silence", "lpc-interpolation"))
            arena.shown(played, b"a", ".wav", b"b", ".wav")
            arena.vote(played.token, "carol", winner)
        sync.scheduler.trigger().result(timeout=60)
    finally:
        vote_sync.stop()
    _, files = hub_server.repos.lookup("datasets/someone/arena-votes", "main")
    [(name, data)] = files.items()
    lines = [json.loads(x) for x in data.decode().splitlines()]
    assert name.startswith("votes/") and [v["winner"] for v in lines] == ["a", "tie"]
    assert "carol" not in data.decode()  # no voter leaves the server
    monkeypatch.setenv(store.DATA_DIR, str(tmp_path / "after-restart"))
    assert arena.standings("repair") == []
    vote_sync.start()
    vote_sync.stop()
    assert {s.model: s.votes for s in arena.standings("repair")} == {"silence": 2, "lpc-interpolation": 2}
    assert vote_sync.restore("someone/arena-votes") == 0  # read back once: a round counts once


def test_generators_draw_a_class_both_know_or_each_its_own(monkeypatch):
    rng = np.random.default_rng(0)
    assert arena.shared_label(("dcgan-art-64", "procedural-art"), rng)["label"] in arena.CLASSES
    imagenet = {"biggan-deep-128": ["goldfish", "lighthouse"]}
    monkeypatch.setattr(arena, "model_classes", lambda m: imagenet.get(m, list(arena.CLASSES)))
    assert arena.shared_label(("biggan-deep-128", "dcgan-art-64"), rng) == {}
