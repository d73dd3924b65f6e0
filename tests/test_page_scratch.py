"""AppTest of the "From scratch" page: every control does what it says, and the numbers the
page shows are checked against a NumPy oracle written here (seed 002's per-component loop)
and the tutorial's printed endings. Charts are a custom component AppTest cannot see into.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest
from pagetest import Page
from streamlit.testing.v1 import AppTest

PAGE = "pages/3_From_scratch.py"
X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
Y = np.array([50.0, 110.0, 170.0])


def oracle(steps: int, start=(0.1, 0.1), lr=1e-4, dtype=np.float64) -> np.ndarray:
    w = np.array(start, dtype=dtype)
    x, y = X.astype(dtype), Y.astype(dtype)
    for _ in range(steps):
        residual = y - x @ w
        w = w - dtype(lr) * (-2 * (x.T @ residual) / 3)
    return w.astype(np.float64)


driver = Page(PAGE, prefix="scratch", state="scratch", timeout=90)
open_page = driver.open


def table(at: AppTest):
    return at.dataframe[0].value


def shown_weights(at: AppTest) -> np.ndarray:
    """w of the three programs at the epoch on show, as the table prints them."""
    t = table(at)
    return t.iloc[:3][["w₁", "w₂"]].astype(float).to_numpy()


def badge(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown if "epoch" in m.value and "·" in m.value)


def share(at: AppTest) -> dict[str, str]:
    link = next(c.value for c in at.code if "://" in c.value or c.value.startswith("?"))
    return dict(parse_qsl(urlsplit(link).query))


def test_step_step_k_timeline_and_reset():
    at = open_page()
    np.testing.assert_allclose(shown_weights(at), [[0.1, 0.1]] * 3)
    at.button(key="scratch.btn.step").click().run()
    at.button(key="scratch.btn.stepk").click().run()
    assert "epoch 11 · float64" in badge(at)
    np.testing.assert_allclose(shown_weights(at), [oracle(11)] * 3, rtol=1e-9)
    assert float(table(at).iloc[3]["w₁"]) < 1e-6  # max |Δ| row
    at.slider(key="scratch.timeline").set_value(4).run()
    np.testing.assert_allclose(shown_weights(at), [oracle(4)] * 3, rtol=1e-9)
    assert any("Epoch 4 → 5" in m.value for m in at.markdown)
    at.number_input(key="scratch.steps_per_click").set_value(25).run()
    assert at.button(key="scratch.btn.stepk").label == "Step ×25"
    at.button(key="scratch.btn.stepk").click().run()
    assert "epoch 36" in badge(at)
    at.button(key="scratch.btn.reset").click().run()
    assert "epoch 0" in badge(at)
    assert not at.exception


def test_run_and_pause_toggle():
    at = open_page()
    at.button(key="scratch.btn.run").click().run()
    assert at.button(key="scratch.btn.run").label == "⏸ Pause"
    assert at.button(key="scratch.btn.step").disabled
    at.button(key="scratch.btn.run").click().run()
    assert at.button(key="scratch.btn.run").label == "▶ Run"


def test_precision_rate_and_start_restart_the_programs_with_a_notice():
    at = open_page()
    at.button(key="scratch.btn.stepk").click().run()
    at.segmented_control(key="scratch.dtype").set_value("float32").run()
    assert "epoch 0 · float32" in badge(at)
    assert any("restarted from step 0" in i.value for i in at.info)
    at.button(key="scratch.btn.stepk").click().run()
    np.testing.assert_allclose(
        shown_weights(at), [oracle(10, dtype=np.float32)] * 3, rtol=0, atol=2e-6
    )
    at.slider(key="scratch.start_w1").set_value(2.0).run()
    at.select_slider(key="scratch.learning_rate").set_value(3e-4).run()
    at.button(key="scratch.btn.step").click().run()
    np.testing.assert_allclose(
        shown_weights(at), [oracle(1, (2.0, 0.1), 3e-4, np.float32)] * 3, atol=2e-6
    )


def test_code_walk_program_and_line():
    at = open_page()
    at.button(key="scratch.btn.step").click().run()
    code = [c.value for c in at.code if "import" in c.value][0]
    assert "gradient = -2 * (X.T @ error) / n  # ◀ gradient" in code
    at.segmented_control(key="scratch.way").set_value("builtin").run()
    at.selectbox(key="scratch.stage").set_value("update").run()
    code = [c.value for c in at.code if "import" in c.value][0]
    assert "optimizer.step()  # ◀ update" in code and "range(1)" in code
    assert "`w.grad * lr`" not in " ".join(m.value for m in at.markdown)
    assert any("lr · weight.grad" in m.value and "◀" in m.value for m in at.markdown)


def test_line_buttons_walk_the_loop_and_step_past_its_end():
    at = open_page()
    at.button(key="scratch.btn.step").click().run()
    assert at.selectbox(key="scratch.stage").value == "gradient"
    at.button(key="scratch.line_next").click().run()
    assert at.selectbox(key="scratch.stage").value == "update"
    at.button(key="scratch.line_next").click().run()  # past the update: the next epoch
    assert at.selectbox(key="scratch.stage").value == "predict"
    assert "epoch 2 ·" in badge(at) and at.slider(key="scratch.timeline").value == 2
    np.testing.assert_allclose(shown_weights(at), [oracle(2)] * 3, rtol=1e-9)
    at.button(key="scratch.line_prev").click().run()  # before predict: the epoch before
    assert at.selectbox(key="scratch.stage").value == "update"
    assert at.slider(key="scratch.timeline").value == 1 and "epoch 2 ·" in badge(at)
    assert any("Epoch 1 → 2" in m.value for m in at.markdown)


def test_long_run_shows_both_endings_and_the_stall():
    at = open_page()
    at.toggle(key="scratch.long_run").set_value(True).run()
    values = [m.value for m in at.metric]
    assert values == ["[10.00000008, 19.99999994]", "[10.0429, 19.9661]"]
    stall = at.dataframe[1].value
    assert list(stall["rounds back to w?"]) == ["yes", "yes"]
    assert any("stood still from epoch" in c.value for c in at.caption)
    at.number_input(key="scratch.epochs").set_value(1000).run()
    want = oracle(1000)
    assert at.metric[0].value == f"[{want[0]:.8f}, {want[1]:.8f}]"


def test_matmul_cells_edit_and_refusals():
    at = open_page()
    assert any("1·2 + 2·6 + 1·1 = 15" in m.value for m in at.markdown)
    at.button(key="scratch.cell_next").click().run()
    assert any("1·5 + 2·7 + 1·8 = 27" in m.value for m in at.markdown)
    at.button(key="scratch.cell_prev").click().run()
    at.button(key="scratch.cell_prev").click().run()  # wraps to the last cell, C[2, 1]
    assert any("2·5 + 3·7 + 4·8 = 63" in m.value for m in at.markdown)
    at.slider(key="scratch.cell").set_value(2).run()
    assert any("C[1, 0]" in m.value for m in at.markdown)
    at.text_input(key="scratch.matrix_b").set_value("1 2; 3 4").run()
    assert "as many columns in A (3) as rows in B (2)" in at.error[0].value
    at.text_input(key="scratch.matrix_a").set_value("1 2; 3 four").run()
    assert "'four' is not a number" in at.error[0].value
    at.button(key="scratch.matmul_seed").click().run()
    assert not at.error and any("= 15" in m.value for m in at.markdown)
    at.text_input(key="scratch.matrix_a").set_value("1 -1").run()
    at.text_input(key="scratch.matrix_b").set_value("2; 3").run()
    assert any("1·2 + (-1)·3 = -1" in m.value for m in at.markdown)
    assert not at.exception


def test_link_round_trip_and_bad_parameters():
    at = open_page(
        dtype="float32",
        lr="0.0003",
        way="autograd",
        step="7",
        A="1 2; 3 4",
        B="5; 6",
        cell="1",
        long="true",
    )
    assert "epoch 7 · float32" in badge(at)
    np.testing.assert_allclose(
        shown_weights(at), [oracle(7, lr=3e-4, dtype=np.float32)] * 3, atol=2e-6
    )
    assert any("C[1, 0]" in m.value and "3·5 + 4·6 = 39" in m.value for m in at.markdown)
    query = share(at)
    assert query == {
        "dtype": "float32",
        "lr": "0.0003",
        "way": "autograd",
        "long": "true",
        "cell": "1",
        "step": "7",
        "A": "1 2; 3 4",
        "B": "5; 6",
    }
    at2 = open_page(**query)
    assert share(at2) == query
    bad = open_page(dtype="float16", lr="huge", step="-3", zzz="1")
    notes = " ".join(w.value for w in bad.warning)
    for word in ("float16", "huge", "step", "zzz"):
        assert word in notes
    assert "epoch 0 · float64" in badge(bad)


@pytest.mark.parametrize("query", [{"A": "x"}, {"A": "1 2", "B": "1 2"}])
def test_bad_matrices_in_a_link_show_a_message(query):
    at = open_page(**query)
    assert at.error and not at.exception


def test_live_tick_takes_speed_epochs_and_stops_at_the_step_limit(monkeypatch):
    """AppTest fires no browser ticks: the tick itself is a plain function, tested here."""
    from linreg.ui import scratch_state

    at = open_page()
    at.slider(key="scratch.speed").set_value(7).run()
    at.button(key="scratch.btn.run").click().run()
    run = driver.run_of(at)
    assert run.running and run.config.speed == 7
    base = run.ways.steps  # the rerun that drew Pause took the first tick already
    assert base == 7
    run.tick()
    run.tick()
    assert run.ways.steps == base + 14
    np.testing.assert_allclose(run.ways.params("builtin")[-1], oracle(base + 14), rtol=1e-9)
    monkeypatch.setattr(scratch_state, "MAX_STEPS", base + 17)
    run.tick()  # the tick that reaches the limit stops the run and says why
    assert run.ways.steps == base + 17 and not run.running and "up to 24" in run.stop_reason
    run.tick()
    assert run.ways.steps == base + 17 and not run.running
