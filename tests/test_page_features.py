"""AppTest of the "Many features" page: every control does what it says, and the numbers the
page shows are checked against NumPy re-implementations of seed 001 (plain gradient descent
on MSE over the tutorial's DataLoader batches, least squares, 2/λmax of [X, 1]).

Charts are a custom component AppTest cannot see into; the browser tests look at them.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest
import torch
from pagetest import Page, click, rerun, shown
from streamlit.testing.v1 import AppTest
from test_features import CROP, numpy_descent, tutorial_batches

from linreg.presets import BY_KEY
from linreg.settings import table
from linreg.settings.features import FeaturesConfig

PAGE = "pages/2_Many_features.py"
TABLE = table(FeaturesConfig)
X15, Y15 = np.tile(CROP[:, :3], (3, 1)), np.tile(CROP[:, 3:], (3, 1))


def tutorial_start(seed: int = 42) -> np.ndarray:
    """nn.Linear(3, 2) after torch.manual_seed(seed), as the tutorial builds its model."""
    state_before = torch.random.get_rng_state()
    torch.manual_seed(seed)
    model = torch.nn.Linear(3, 2)
    torch.random.set_rng_state(state_before)
    return torch.cat([model.weight.detach().ravel(), model.bias.detach()]).double().numpy()


driver = Page(PAGE, prefix="features", state="features")
open_page, set_setting, run_of = driver.open, driver.set_setting, driver.run_of


def conditioning_table(at: AppTest):
    """The conditioning table (drawn before the run's panel)."""
    return at.dataframe[0].value


def batch_table(at: AppTest):
    """This epoch's batches (AppTest does not report a dataframe's key: it is the second)."""
    return at.dataframe[1].value


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_opens_on_seed_001_with_the_tutorials_start():
    at = open_page()
    run = run_of(at)
    assert run.config == TABLE.defaults
    start = tutorial_start(42)
    assert np.allclose(run.stepper.history.params[0], start, atol=1e-7)
    pred = X15 @ start[:6].reshape(2, 3).T + start[6:]
    values = shown(at)
    assert values["Step"] == "0"
    assert float(values["Train MSE"]) == pytest.approx(np.mean((pred - Y15) ** 2), rel=1e-3)
    assert float(values["MSE apples"]) == pytest.approx(np.mean((pred - Y15)[:, 0] ** 2), rel=1e-3)
    a = np.hstack([X15, np.ones((15, 1))])
    critical = 2 / np.linalg.eigvalsh(2 * a.T @ a / 30)[-1]
    assert f"{critical:.3g}" in texts(at.caption)
    table_rows = conditioning_table(at)
    assert list(table_rows["features"]) == ["raw", "standardised"]
    assert list(table_rows["in use"]) == ["✓", ""]


def test_step_and_step_k_follow_numpy_over_the_tutorials_batches():
    at = open_page()
    click(at, "features.btn.step")
    click(at, "features.btn.stepk")
    run = run_of(at)
    assert run.stepper.steps == 11
    batches = [b for e in tutorial_batches(15, 5, 42, 4) for b in e][:11]
    oracle = numpy_descent(X15, Y15, tutorial_start(42), 1e-5, batches)
    assert np.abs(run.stepper.history.params - oracle).max() < 1e-4  # float32
    values = shown(at)
    assert values["Step"] == "11" and values["Epoch · batch"] == "4 · 2"
    assert float(values["max |Δθ|, two ways"]) < 1e-4
    plan = batch_table(at)
    rows_col = [c for c in plan.columns if c.startswith("rows")][0]
    assert list(plan[rows_col]) == [
        ", ".join(map(str, b)) for b in tutorial_batches(15, 5, 42, 4)[3]
    ]
    assert "◀" in plan["batch"][1]


def test_run_pause_reset_and_the_timeline():
    at = open_page()
    click(at, "features.btn.run")
    run = run_of(at)
    assert run.running and at.button(key="features.btn.run").label == "⏸ Pause"
    before = run.stepper.steps  # the fragment took the first tick as it redrew
    run.tick()  # AppTest does not fire the browser's ticks: call the tick itself
    assert run.stepper.steps == before + run.config.speed
    click(at, "features.btn.run")
    assert not run_of(at).running
    at.slider(key="features.timeline").set_value(3)
    rerun(at)
    assert shown(at)["Step"] == "3"
    click(at, "features.btn.reset")
    assert run_of(at).stepper.steps == 0 and "Reset to step 0." in texts(at.info)


def test_data_sources():
    at = open_page()
    set_setting(at, "source", "crop5")
    assert len(run_of(at).data.x_train) == 5
    assert "Restarted" in texts(at.info) or "restarted" in texts(at.info)
    set_setting(at, "source", "synthetic")
    set_setting(at, "n_features", 2)
    set_setting(at, "n_targets", 3)
    set_setting(at, "noise", 0.0)
    set_setting(at, "w21", 4.0)
    run = run_of(at)
    assert run.data.n_features == 2 and run.data.n_targets == 3
    w = np.array(run.config.true_weight())
    assert w[1, 0] == 4.0
    x, y = run.raw.x_train, run.raw.y_train
    assert np.allclose(y, x @ w.T + run.config.true_bias())
    keys = {w.key for w in at.number_input}
    assert "features.w21" in keys and "features.w13" not in keys  # only the d × k in use
    set_setting(at, "source", "csv")
    assert "no file is loaded" in texts(at.info)


def test_csv_upload_with_column_picking_and_its_errors():
    at = open_page(src="csv")
    box = at.get_by_key("features.upload.file")
    box.set_value(("one.csv", b"a\n1\n2\n", "text/csv"))
    rerun(at)
    assert "only one column of numbers" in texts(at.error)
    box = at.get_by_key("features.upload.file")
    box.set_value(("bad.csv", b"", "text/csv"))
    rerun(at)
    assert "bad.csv" in texts(at.error)
    content = (
        b"city,t,r,h,apples,oranges\nA,73,67,43,56,70\nB,91,88,64,81,101\nC,87,134,58,119,133\n"
    )
    at.get_by_key("features.upload.file").set_value(("farms.csv", content, "text/csv"))
    rerun(at)
    assert "city" in texts(at.caption)  # the text column was left out, and said so
    at.get_by_key("features.upload.x").set_value(["t", "r", "h"])
    rerun(at)
    at.get_by_key("features.upload.y").set_value(["apples", "oranges"])
    rerun(at)
    run = run_of(at)
    assert run.data.feature_names == ("t", "r", "h")
    assert run.data.target_names == ("apples", "oranges")
    assert np.array_equal(run.raw.x_train, CROP[:3, :3])
    at.get_by_key("features.upload.y").set_value([])
    rerun(at)
    assert "Choose at least one target column." in texts(at.error)


def test_standardise_and_the_half_critical_rate_converge_fast():
    at = open_page()
    set_setting(at, "standardise", True)
    assert "Standardisation changed" in texts(at.info)
    assert list(conditioning_table(at)["in use"]) == ["", "✓"]
    click(at, "features.half_critical")
    z = (X15 - X15.mean(0)) / X15.std(0)
    a = np.hstack([z, np.ones((15, 1))])
    half = 1 / np.linalg.eigvalsh(2 * a.T @ a / 30)[-1]
    lr = run_of(at).config.learning_rate
    assert lr == pytest.approx(float(f"{half:.2g}"))
    set_setting(at, "batch_size", 0)
    set_setting(at, "steps_per_click", 100)
    click(at, "features.btn.stepk")
    loss = run_of(at).stepper.history.train_loss[-1]
    best = np.linalg.lstsq(np.hstack([X15, np.ones((15, 1))]), Y15, rcond=None)[0]
    best_loss = np.mean((np.hstack([X15, np.ones((15, 1))]) @ best - Y15) ** 2)
    assert loss == pytest.approx(best_loss, rel=1e-3)
    set_setting(at, "original_units", False)
    set_setting(at, "log_loss", False)
    set_setting(at, "slice_through", "optimum")


def test_learning_rate_change_continues_and_a_large_rate_diverges():
    at = open_page()
    click(at, "features.btn.stepk")
    set_setting(at, "learning_rate", 2e-5)
    assert "training continues from step 10" in texts(at.info)
    set_setting(at, "learning_rate", 0.001)
    assert "**above** it" in texts(at.caption)
    set_setting(at, "batch_size", 0)
    click(at, "features.btn.stepk")
    assert "Diverged" in texts(at.error)
    assert at.button(key="features.btn.step").disabled


def test_batches_shuffle_precision_and_seed():
    at = open_page()
    set_setting(at, "shuffle", False)
    click(at, "features.btn.step")
    plan = batch_table(at)
    rows_col = [c for c in plan.columns if c.startswith("rows")][0]
    assert list(plan[rows_col]) == ["0, 1, 2, 3, 4", "5, 6, 7, 8, 9", "10, 11, 12, 13, 14"]
    set_setting(at, "batch_size", 0)
    assert "Full batch" in texts(at.caption)
    set_setting(at, "dtype", "float64")
    assert run_of(at).stepper.flat.dtype == torch.float64
    set_setting(at, "init_seed", 7)
    assert np.allclose(run_of(at).stepper.history.params[0], tutorial_start(7), atol=1e-7)


def test_way_and_comparison():
    at = open_page(dtype="float64")
    click(at, "features.btn.stepk")
    set_setting(at, "mode", "scratch")
    run = run_of(at)
    assert run.lock.mode == "scratch" and type(run.stepper).__name__ == "ScratchStepper"
    assert "from-scratch" in texts(at.info) and run.stepper.steps == 10
    assert run.lock.delta().max() < 1e-10
    set_setting(at, "compare", False)
    assert "max |Δθ|, two ways" not in shown(at)
    set_setting(at, "mode", "builtins")
    assert run_of(at).stepper.steps == 10


def test_slice_pickers_and_view_settings():
    at = open_page()
    at.selectbox(key="features.pick_i").set_value(3)
    rerun(at)
    assert run_of(at).config.slice_i == 3
    at.selectbox(key="features.pick_j").set_value(3)
    rerun(at)
    assert run_of(at).config.slice_j == 6
    assert "two different parameters" in texts(at.info)
    at.toggle(key="features.show_replay").set_value(True)
    rerun(at)
    assert "Take a few steps first" in texts(at.caption)
    click(at, "features.btn.stepk")
    assert "10 recorded steps" in texts(at.caption)
    set_setting(at, "presenter", True)
    assert not [b for b in at.button if b.key == "features.btn.stepk"]


def test_run_settings():
    at = open_page()
    set_setting(at, "steps_per_click", 25)
    assert at.button(key="features.btn.stepk").label == "Step ×25"
    set_setting(at, "max_steps", 30)
    click(at, "features.btn.stepk")
    click(at, "features.btn.stepk")
    assert run_of(at).stepper.steps == 30
    click(at, "features.btn.step")
    assert "maximum of 30 steps" in texts(at.success)
    set_setting(at, "speed", 3)
    set_setting(at, "stop_at_convergence", False)
    assert run_of(at).config.speed == 3 and not run_of(at).config.stop_at_convergence


def test_a_link_round_trips_settings_and_step():
    config = TABLE.defaults.replace(
        source="synthetic",
        n_features=4,
        w34=-2.5,
        standardise=True,
        learning_rate=0.3,
        batch_size=8,
        mode="scratch",
        slice_i=2,
        slice_j=5,
        spread=100.0,
        presenter=True,
    )
    query = {**TABLE.to_query(config), "step": "17"}
    at = open_page(**query)
    run = run_of(at)
    assert run.config == config and run.stepper.steps == 17
    assert not at.warning
    link = at.code[0].value
    back = dict(parse_qsl(urlsplit(link).query))
    assert back == {**query, "step": "17"}


def test_bad_link_parameters_are_named_and_ignored():
    at = open_page(lr="abc", zz="1", step="x", src="nope", si="2", sj="2")
    notes = texts(at.warning)
    for word in ("Learning rate", "'zz'", "step", "Data", "two different"):
        assert word in notes
    assert run_of(at).config == TABLE.defaults


def test_the_unscaled_features_lesson_and_its_cure():
    query = BY_KEY["unscaled-features"].link
    assert query == {"lesson": "unscaled-features", "bs": "0", "step": "200"}
    at = open_page(**query)
    run = run_of(at)
    assert "Unscaled features, cured by standardising" in texts(at.info)
    assert run.stepper.steps == 200 and not at.warning
    a = np.hstack([X15, np.ones((15, 1))])
    best = np.linalg.lstsq(a, Y15, rcond=None)[0]
    best_loss = np.mean((a @ best - Y15) ** 2)
    oracle = numpy_descent(X15, Y15, tutorial_start(42), 1e-5, [np.arange(15)] * 200)[-1]
    raw_loss = np.mean((a @ np.vstack([oracle[:6].reshape(2, 3).T, oracle[6:]]) - Y15) ** 2)
    assert float(shown(at)["Train MSE"]) == pytest.approx(raw_loss, rel=1e-3)
    assert raw_loss > 100 * best_loss  # the crawl
    set_setting(at, "standardise", True)
    click(at, "features.half_critical")
    assert run_of(at).config.learning_rate == 0.5
    for _ in range(3):
        click(at, "features.btn.stepk")
    assert run_of(at).stepper.history.train_loss[-1] == pytest.approx(best_loss, rel=0.01)
