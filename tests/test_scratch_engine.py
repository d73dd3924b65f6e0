"""The From scratch page's engine against independent oracles and seed 002's printed numbers.

Oracles written here, not taken from the code under test:
  * `oracle`: seed 002's first NumPy loop, one partial derivative at a time (its equations
    10 and 11), in float64 or float32;
  * the float64 closed form w_t = w* + (I - ηH)ᵗ (w₀ - w*), H = 2XᵀX/n, by eigendecomposition;
  * the tutorial's printed endings [10.00000008, 19.99999994] (float64) and
    [10.0429, 19.9661] (float32 torch), to their printed digits;
  * seed 000's printed A @ B = [[15, 27], [6, 7], [26, 63]].
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from linreg import matmul, precision
from linreg.data import seed002
from linreg.fastpath import params_at
from linreg.scratch_code import WAYS, run_source, source
from linreg.scratch_steps import ThreeWays, disagreement, walk
from linreg.settings import table
from linreg.settings.scratch import ScratchConfig

X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
Y = np.array([50.0, 110.0, 170.0])  # seed 002 prints y_true = [50, 110, 170]
START, LR = (0.1, 0.1), 1e-4


def oracle(steps: int, dtype=np.float64, start=START, lr=LR) -> np.ndarray:
    """Rows 0..steps of seed 002's per-component loop."""
    x, y = X.astype(dtype), Y.astype(dtype)
    w = np.array(start, dtype=dtype)
    rows = [w.astype(np.float64)]
    for _ in range(steps):
        residual = y - (x[:, 0] * w[0] + x[:, 1] * w[1])
        d0 = -2 * np.sum(x[:, 0] * residual) / len(x)
        d1 = -2 * np.sum(x[:, 1] * residual) / len(x)
        w = np.array([w[0] - dtype(lr) * d0, w[1] - dtype(lr) * d1], dtype=dtype)
        rows.append(w.astype(np.float64))
    return np.array(rows)


def closed_form(steps: np.ndarray, start=START, lr=LR) -> np.ndarray:
    h = 2 * X.T @ X / len(X)
    w_star = np.linalg.solve(X.T @ X, X.T @ Y)
    vals, vecs = np.linalg.eigh(np.eye(2) - lr * h)
    gap = vecs.T @ (np.array(start) - w_star)
    return np.array([w_star + vecs @ (vals ** int(t) * gap) for t in steps])


def test_three_ways_agree_with_each_other_and_the_oracle_for_100_steps_float64():
    ways = ThreeWays(START, LR, "float64")
    ways.step(100)
    want = oracle(100)
    for way in WAYS:
        np.testing.assert_allclose(ways.params(way), want, rtol=0, atol=1e-6)
        grads = -2 * (Y - ways.params(way) @ X.T) @ X / 3
        np.testing.assert_allclose(ways.grads(way), grads, rtol=1e-9, atol=1e-6)
    for t in (0, 1, 50, 100):
        dw, dg = disagreement(ways, t)
        assert dw < 1e-6 and dg < 1e-6


def test_three_ways_agree_in_float32_to_its_resolution():
    ways = ThreeWays(START, LR, "float32")
    ways.step(100)
    want = oracle(100, np.float32)
    for way in WAYS:
        np.testing.assert_allclose(ways.params(way), want, rtol=0, atol=1e-4)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_the_code_on_show_runs_and_gives_the_engines_numbers_bit_for_bit(dtype):
    ways = ThreeWays((0.5, -1.0), 3e-4, dtype)
    ways.step(60)
    for way in WAYS:
        got = run_source(source(way, (0.5, -1.0), 3e-4, dtype, 60))
        np.testing.assert_array_equal(got, ways.params(way)[-1])


def test_walk_through_values_are_one_epoch_of_the_update():
    w = np.array([3.0, 4.0])
    for way in WAYS:
        values = {name: v for name, _, v in walk(way, w, LR, "float64")}
        grad = -2 * X.T @ (Y - X @ w) / 3
        np.testing.assert_allclose(np.ravel(values["gradient"]), grad, rtol=1e-12)
        np.testing.assert_allclose(np.ravel(values["update"]), LR * grad, rtol=1e-12)
        np.testing.assert_allclose(np.ravel(values["new w"]), w - LR * grad, rtol=1e-12)
        np.testing.assert_allclose(np.ravel(values["y_pred"]), X @ w, rtol=1e-12)


def test_float64_million_epochs_match_the_tutorial_and_the_closed_form():
    got = params_at(seed002(), LR, np.array(START), [1_000_000], bias=False)[0]
    assert np.round(got, 8).tolist() == [10.00000008, 19.99999994]
    np.testing.assert_allclose(got, closed_form([1_000_000])[0], atol=1e-9)
    steps = precision.log_steps(1_000_000)
    np.testing.assert_allclose(
        params_at(seed002(), LR, np.array(START), steps, bias=False),
        closed_form(steps),
        atol=1e-9,
    )


@pytest.fixture(scope="module")
def frozen():
    return precision.Float32Run(START, LR, 1_000_000).finish()


def test_float32_run_follows_the_oracle_bit_for_bit_then_freezes_at_the_tutorials_numbers(
    frozen,
):
    short = precision.Float32Run(START, LR, 3000, samples=3001).finish()
    np.testing.assert_array_equal(short.samples, oracle(3000, np.float32))
    res = frozen
    assert res.frozen_from is not None and 200_000 < res.frozen_from < 300_000
    assert np.round(res.weights, 4).tolist() == [10.0429, 19.9661]
    # A fixed point: one more epoch of the oracle's own float32 loop leaves w as it is.
    again = oracle(1, np.float32, start=res.weights.astype(np.float32))[-1]
    np.testing.assert_array_equal(again, res.weights)
    # ... while the epoch before it still moved w.
    w = res.at(np.array([res.frozen_from - 1, res.frozen_from, 1_000_000]))
    assert not np.array_equal(w[0], w[1]) and np.array_equal(w[1], w[2])


def test_stall_update_is_at_most_half_a_float32_spacing_though_the_gradient_is_not_zero(frozen):
    res = frozen
    s = precision.stall(res.weights, LR)
    assert s.rounds_away.all()
    assert np.all(np.abs(s.update32) <= np.spacing(res.weights.astype(np.float32)) / 2)
    assert np.all(np.abs(s.gradient64) > 1e-3)  # the true gradient is far from zero
    np.testing.assert_allclose(s.gradient64, -2 * X.T @ (Y - X @ res.weights) / 3)


def test_float32_run_stops_when_it_diverges():
    res = precision.Float32Run(START, 0.034, 1_000_000).finish()  # above 2/λmax ≈ 0.0331
    assert res.diverged and res.frozen_from is None and res.epochs_run < 10_000


@pytest.mark.slow
def test_torch_float32_reaches_the_tutorials_printed_numbers():
    """Seed 002's torch loop (float32, from [0, 0]) to past its fixed point."""
    torch.set_num_threads(1)
    x = torch.tensor(X, dtype=torch.float32)
    y = x @ torch.tensor([10.0, 20.0])
    w = torch.zeros(2)
    for _ in range(255_000):
        w = w - LR * (-2 * (x.T @ (y - x @ w)) / 3)
    assert np.round(w.double().numpy(), 4).tolist() == [10.0429, 19.9661]


def test_matmul_seed_example_three_ways():
    prod = matmul.product(matmul.parse(matmul.SEED_A, "A"), matmul.parse(matmul.SEED_B, "B"))
    assert prod.c.tolist() == [[15, 27], [6, 7], [26, 63]]
    assert prod.agree and len(prod.results) == 3
    for index in range(prod.cells):
        i, j = prod.cell(index)
        assert sum(a * b for a, b in prod.terms(index)) == prod.c[i, j]
    assert matmul.sum_of_products(prod.terms(0)) == "1·2 + 2·6 + 1·1 = 15"
    assert matmul.sum_of_products([(1.0, 2.0), (-1.0, 3.0)]) == "1·2 + (-1)·3 = -1"


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        (";;", "no rows"),
        ("1 2; 3", "same number of entries"),
        ("1 x", "'x' is not a number"),
        ("1 nan", "finite"),
        ("1e9", "within"),
        ("; ".join(["1"] * 7), "at most 6"),
    ],
)
def test_matrix_input_is_refused_with_a_clear_message(text, message):
    with pytest.raises(matmul.MatrixError, match=message):
        matmul.parse(text, "A")


def test_shape_mismatch_says_what_is_needed():
    with pytest.raises(matmul.MatrixError, match=r"as many columns in A \(2\) as rows in B \(3\)"):
        matmul.product(np.ones((2, 2)), np.ones((3, 2)))


def test_settings_round_trip_through_the_url():
    t = table(ScratchConfig)
    config = ScratchConfig(dtype="float32", learning_rate=3e-4, start_w1=-2.0, way="builtin")
    back, notes = t.from_query(t.to_query(config))
    assert back == config and not notes
    _, notes = t.from_query({"dtype": "float16", "lr": "1", "zzz": "1"})
    assert len(notes) == 3
