"""Issue 10's Optimizers defects: the leaderboard's ties, the unscaled button's rates, and
the sweep's "What to notice".

Oracles, written out here in NumPy float64:
- the race's points (n evenly spaced x, y = w·x + b + σ·N(0, 1)) and the least-squares
  minimum of their MSE, with the MSE at each racer's parameters;
- the Hessian H = 2AᵀA/N of A = [x, 1], its eigenvalues, and for each of them the
  spectral radius of the 2×2 step matrix of SGD, heavy-ball and Nesterov momentum
  (torch's forms: v ← μv + g; θ ← θ - ηv, or θ ← θ - η(g + μv)): a rate is stable when
  every radius is below 1;
- separate `Stepper` runs at single rates, for which rates of a sweep diverge.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from pagetest import Page, click

from linreg.data import line_x, split
from linreg.race import Race, Standing, ranked, shown_loss, valley_rates
from linreg.settings.race import RaceConfig
from linreg.sweep import lr_sweep, notice
from linreg.trainer import Stepper, TrainSpec

driver = Page("pages/4_Optimizers.py", prefix="race", state="race")


# ---- oracles ---------------------------------------------------------------------------------
def points(c: RaceConfig) -> tuple[np.ndarray, np.ndarray]:
    x = line_x(c.n_points, c.x_min, c.x_max)
    y = c.true_weight * x + c.true_bias
    return x, y + c.noise * np.random.default_rng(c.seed).standard_normal(c.n_points)


def data_of(c: RaceConfig):
    return split(*points(c), 1.0)


def mse(c: RaceConfig, theta) -> float:
    x, y = points(c)
    return float(np.mean((theta[0] * x + theta[1] - y) ** 2))


def least_squares(c: RaceConfig) -> np.ndarray:
    x, y = points(c)
    return np.linalg.lstsq(np.c_[x, np.ones_like(x)], y, rcond=None)[0]


def hessian(c: RaceConfig) -> np.ndarray:
    x, _ = points(c)
    a = np.c_[x, np.ones_like(x)]
    return 2 * a.T @ a / len(x)


def eigenvalues(c: RaceConfig) -> np.ndarray:
    return np.linalg.eigvalsh(hessian(c))


def spectral_radius(optimizer: str, rate: float, mu: float, lam: float) -> float:
    """Of the error's step matrix along an eigenvector of eigenvalue lam, state (e, e₋)."""
    a = rate * lam
    if optimizer == "sgd":
        return abs(1 - a)
    if optimizer == "momentum":
        step = [[1 + mu - a, -mu], [1, 0]]
    else:  # Nesterov
        step = [[(1 + mu) * (1 - a), -mu * (1 - a)], [1, 0]]
    return float(np.abs(np.linalg.eigvals(np.array(step))).max())


def specs(c: RaceConfig) -> dict[str, TrainSpec]:
    shared = dict(loss=c.loss, huber_delta=c.huber_delta, dtype=c.dtype, seed=c.seed)
    return {n: TrainSpec(**shared, **c.racer_spec(n)) for n in c.racers}


def race_of(c: RaceConfig, steps: int) -> Race:
    race = Race(data_of(c), specs(c), [c.init_weight, c.init_bias])
    race.step(steps)
    return race


# ---- the leaderboard -------------------------------------------------------------------------
def test_at_step_500_every_racer_is_at_the_minimum_and_all_six_tie():
    at = driver.open(step="500")
    c = driver.run_of(at).config
    board = at.dataframe[0].value
    lowest = shown_loss(mse(c, least_squares(c)))
    assert len(board) == 6
    # every racer shows the least-squares loss to the board's digits: one six-way tie
    assert [shown_loss(v) for v in board["Loss now"]] == [lowest] * 6
    assert list(board["Rank"]) == ["=1"] * 6
    # the tie is listed by the step of convergence, not yet converged last
    converged = [float("inf") if v == "—" else int(v) for v in board["Converged at"]]
    assert converged == sorted(converged)
    assert board["Optimizer"].iloc[0].startswith("Nesterov")  # the first to converge
    assert any("are tied (=1)" in caption.value for caption in at.caption)


def test_a_partial_tie_shares_a_competition_rank_and_a_diverged_racer_is_last():
    c = RaceConfig(sgd_lr=2.0)  # far above 2/λmax: SGD diverges
    race = race_of(c, 200)
    board = race.standings(200, least_squares(c), c.tolerance)
    by_name = {r.name: r for r in board}
    assert board[-1].name == "sgd" and board[-1].diverged_at is not None
    assert board[-1].place == str(len(board))
    # the oracle: the MSE at each racer's parameters, as the board shows it
    running = [n for n in by_name if n != "sgd"]
    shown = {n: shown_loss(mse(c, race.steppers[n].history.params[200])) for n in running}
    lowest = min(shown.values(), key=float)
    tied = sorted(n for n in running if shown[n] == lowest)
    assert len(tied) >= 2 and len(tied) < len(running)  # several, not all, at the minimum
    assert sorted(r.name for r in board[: len(tied)]) == tied
    assert all(r.place == "=1" for r in board[: len(tied)])
    rest = board[len(tied) : -1]
    assert [r.rank for r in rest] == list(range(len(tied) + 1, len(tied) + 1 + len(rest)))
    assert [float(shown[r.name]) for r in rest] == sorted(float(shown[r.name]) for r in rest)


def test_ranked_gives_competition_ranks_and_orders_ties_by_convergence():
    def row(name, loss, converged=None, diverged=None):
        return Standing(name, 10, loss, 0.0, converged, diverged)

    rows = [
        row("e", 5.0, diverged=7),
        row("b", 2.0000001, converged=90),
        row("c", 2.0000004, converged=40),
        row("a", 1.0),
        row("f", 9.0, diverged=3),
        row("d", 2.0000002),
        row("g", 4.0),
    ]
    board = ranked(rows)
    assert [(r.name, r.place) for r in board] == [
        ("a", "1"),
        ("c", "=2"),  # 2.00000 to six digits, and converged first
        ("b", "=2"),
        ("d", "=2"),  # not converged: last of the tie
        ("g", "5"),
        ("e", "6"),  # diverged: last, the one that lasted longer first
        ("f", "7"),
    ]


# ---- the unscaled button ---------------------------------------------------------------------
UNSCALED = dict(x_min=5.0, x_max=10.0)  # what the button's label says


def unscaled(**changes) -> RaceConfig:
    """The race after the button: x from 5 to 10 and valley_rates for the rest as they are."""
    c = RaceConfig(**changes).replace(**UNSCALED)
    return c.replace(**valley_rates(data_of(c), c.momentum_mu, c.nesterov_mu))


@pytest.mark.parametrize("changes", [{}, {"n_points": 40, "seed": 7, "nesterov_mu": 0.5}])
def test_unscaled_rates_are_stable_and_sgd_runs_near_its_edge(changes):
    c = unscaled(**changes)
    lams = eigenvalues(c)
    for name, mu in (("sgd", 0.0), ("momentum", c.momentum_mu), ("nesterov", c.nesterov_mu)):
        rate = getattr(c, f"{name}_lr")
        assert max(spectral_radius(name, rate, mu, lam) for lam in lams) < 1, name
        # and not timid: 2.5 times the rate is past the edge
        assert max(spectral_radius(name, 2.5 * rate, mu, lam) for lam in lams) > 1, name
    assert 0.8 * 2 / lams.max() < c.sgd_lr < 2 / lams.max()  # SGD at its fastest stable
    # the old default rates diverge on this data within a few steps; the adaptive ones stay
    old = RaceConfig().replace(**UNSCALED)
    gone = race_of(old, 10).steppers
    assert all(gone[n].diverged_at is not None for n in ("sgd", "momentum", "nesterov"))
    assert (c.adam_lr, c.rmsprop_lr, c.adagrad_lr) == (old.adam_lr, old.rmsprop_lr, old.adagrad_lr)


def test_unscaled_race_shows_the_lesson():
    """The lesson: in the long, narrow valley SGD's rate is capped by the steep side, so it
    zig-zags across the valley and crawls along its floor; momentum and Nesterov, stable at
    rates of the same order, roll along the floor to the minimum."""
    c = unscaled()
    race = race_of(c, c.max_steps)
    best = least_squares(c)
    for name in ("sgd", "momentum", "nesterov"):
        assert race.steppers[name].diverged_at is None, name
    gap = {n: np.linalg.norm(s.history.params - best, axis=1) for n, s in race.steppers.items()}
    # SGD zig-zags: its error along the steep eigenvector changes sign at every step
    steep = np.linalg.eigh(hessian(c))[1][:, -1]
    across = (race.steppers["sgd"].history.params[:20] - best) @ steep
    assert np.all(np.sign(across[1:]) != np.sign(across[:-1]))
    # ... and after the whole race is still far from the minimum
    assert gap["sgd"][-1] > 0.1 and race.converged_at("sgd", c.tolerance) is None
    assert gap["sgd"][500] > gap["sgd"][0] / 3
    assert race.converged_at("momentum", c.tolerance) is not None
    for name in ("momentum", "nesterov"):
        assert gap[name][-1] < gap["sgd"][-1] / 100, name
        assert gap[name][500] < gap["sgd"][500] / 4, name


def test_the_unscaled_button_sets_the_valley_rates():
    at = driver.open()
    click(at, "race.unscaled")
    c = driver.run_of(at).config
    assert c == unscaled()


# ---- the sweep's notice ----------------------------------------------------------------------
def sweep_of(c: RaceConfig, optimizer: str, rates, steps: int):
    spec = specs(c.replace(**{optimizer: True}))[optimizer]
    start = [c.init_weight, c.init_bias]
    return spec, lr_sweep(data_of(c), spec, rates, steps, start, c.tolerance)


def test_sgd_sweep_notice_names_its_divergence_at_2_over_lambda_max():
    c = RaceConfig()
    rates = np.geomspace(0.01, 1.0, 12)
    spec, res = sweep_of(c, "sgd", rates, 300)
    critical = 2 / eigenvalues(c).max()
    start = [c.init_weight, c.init_bias]
    gone = [
        r
        for r in rates
        if Stepper(data_of(c), replace(spec, learning_rate=r), start).step(300) < 300
    ]
    text = notice(res, spec, critical)
    assert gone and min(gone) > critical  # the oracle: separate runs diverge above 2/λmax
    assert f"SGD diverged at {len(gone)} of the 12 rates: η = {min(gone):.3g} up" in text
    assert "red crosses" in text and "exactly its edge" in text
    assert f"{critical:.3g}" in text


def test_adam_sweep_notice_has_no_red_crosses_and_no_sgd_edge():
    c = RaceConfig()
    rates = np.geomspace(1e-3, 1.0, 10)
    spec, res = sweep_of(c, "adam", rates, 300)
    assert (res.diverged_at < 0).all()
    text = notice(res, spec, 2 / eigenvalues(c).max())
    assert "No rate diverged" in text and "no red crosses" in text
    assert "SGD" not in text and "exactly" not in text and "only a landmark" in text
    assert "Adam" in text


def test_the_page_shows_the_notice_of_the_sweep_it_drew():
    at = driver.open(sw_opt="adam", sw_n="10", sw_steps="100", sw_hi="1")
    click(at, "race.sweep.run")
    captions = " ".join(caption.value for caption in at.caption)
    assert "No rate diverged" in captions and "Adam divides each step" in captions
    assert "plain SGD diverges (red crosses)" not in captions
