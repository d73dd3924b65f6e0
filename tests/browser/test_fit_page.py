"""Journeys on /Fit_a_line in a real browser: load, step, run and pause, divergence, a loss
change, the 3-D camera across an update, and the in-browser replay.

Every test waits on the app (its connection and script state, see harness.wait_idle) or on a
JavaScript condition in the page (Plotly draws asynchronously), never on a fixed sleep, except
where a test checks that something does *not* happen, which needs a time window.
"""

from __future__ import annotations

import math

import pytest
from harness import (
    CHART_KEYS,
    PLOTS,
    assert_clean,
    axis_ranges,
    button,
    chart,
    console_errors,
    eye,
    metric_values,
    runs,
    surface_print,
    wait_charts,
    wait_idle,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

METRIC = "[data-testid=stMetricValue]"  # Step, Weight, Bias, Train loss, ...


def open_page(page, base_url: str, query: str = "") -> None:
    """Open /Fit_a_line by its deep link and wait for the app and all four charts."""
    page.goto(f"{base_url}/Fit_a_line{query}")
    wait_idle(page)
    wait_charts(page)


def click(page, name: str) -> None:
    """Click a button by its exact name and wait for the run it starts to finish."""
    before = runs(page)
    button(page, name).click()
    wait_idle(page, after=before)


def step_count(page) -> int:
    return int(page.locator(METRIC).first.inner_text())


def test_page_loads_with_all_four_charts(page, base_url, shot):
    open_page(page, base_url)
    keys = page.evaluate(
        "(sel) => [...document.querySelectorAll(sel)].map((g) => g.dataset.key)", PLOTS
    )
    assert sorted(keys) == sorted(CHART_KEYS)
    assert page.locator(PLOTS).count() >= 4
    expect(page.locator("[data-testid=stMain] h1").first).to_be_visible()
    assert metric_values(page)[0] == "0"
    shot()
    assert_clean(page)


def test_step_three_times_changes_the_numbers(page, base_url, shot):
    open_page(page, base_url)
    seen = [metric_values(page)]
    for k in (1, 2, 3):
        click(page, "Step")
        expect(page.locator(METRIC).first).to_have_text(str(k))
        seen.append(metric_values(page))
    weights = [values[1] for values in seen]  # the second metric is the weight
    assert len(set(weights)) == 4, f"the weight should move on every step: {weights}"
    shot()
    assert_clean(page)


def test_run_then_pause(page, base_url, shot):
    open_page(page, base_url)
    page.evaluate(WATCH_STEP_METRIC)
    click(page, "▶ Run")
    # Running: the Step count keeps going up (wait for two more updates after the first).
    page.wait_for_function("window.__steps.length >= 3", timeout=30_000)
    expect(button(page, "⏸ Pause")).to_be_visible()
    values = page.evaluate("window.__steps.map((s) => s[1])")
    assert values == sorted(values) and values[-1] > values[0] > 0, values

    before = runs(page)
    changes_at_click = page.evaluate("window.__steps.length")
    button(page, "⏸ Pause").click()
    wait_idle(page, after=before)
    expect(button(page, "▶ Run")).to_be_visible()
    paused_at = step_count(page)
    # It must stay still now: a negative check needs a window; 1.5 s is ~20 live ticks.
    page.wait_for_timeout(1500)
    wait_idle(page)
    assert step_count(page) == paused_at, "the step count went on rising after Pause"
    # Updates already on their way when Pause was clicked may still land: the one in flight,
    # and one the ticker asked for while the click waited for the button to sit still (the
    # page now paints several frames per update, so that wait can span an update).
    late = page.evaluate("(n) => window.__steps.slice(n)", changes_at_click)
    assert len(late) <= 2, f"more than two updates landed after Pause: {late}"
    shot()
    assert_clean(page)


# Records every change of the Step metric's text as [ms, value] in window.__steps.
WATCH_STEP_METRIC = """
() => {
  window.__steps = [];
  const read = () => Number(document.querySelector('[data-testid=stMetricValue]')?.textContent);
  let last = read();
  new MutationObserver(() => {
    const now = read();
    if (now !== last && Number.isFinite(now)) { window.__steps.push([performance.now(), now]); }
    last = now;
  }).observe(document.querySelector('[data-testid=stMain]') || document.body,
             { subtree: true, childList: true, characterData: true });
}
"""


def test_diverging_learning_rate_says_so_and_keeps_the_charts_finite(page, base_url, shot):
    open_page(page, base_url, "?loss=mse&lr=10")
    click(page, "Step ×10")
    alert = page.locator("[data-testid=stAlertContentError]").filter(has_text="Diverged at step")
    expect(alert).to_be_visible()
    wait_charts(page)
    for key in CHART_KEYS:
        ranges = axis_ranges(page, key)
        assert ranges, f"{key} has no axes"
        for axis, span in ranges.items():
            assert span is not None and len(span) == 2, f"{key} {axis}: {span}"
            assert all(
                isinstance(v, int | float) and math.isfinite(v) and abs(v) < 1e6 for v in span
            ), f"{key} {axis} range is not finite and small: {span}"
    expect(page.get_by_text("This chart could not be drawn")).to_have_count(0)
    shot()
    assert_clean(page)


def test_changing_the_loss_changes_the_surface_and_training_continues(page, base_url, shot):
    open_page(page, base_url)  # the default loss is MAE (L1)
    click(page, "Step ×10")
    expect(page.locator(METRIC).first).to_have_text("10")
    contour, surface = (surface_print(page, k) for k in ("chart.contour", "chart.surface"))
    assert contour and surface

    loss = page.get_by_test_id("stSidebar").get_by_role("radiogroup", name="Loss")
    before = runs(page)
    loss.get_by_role("radio", name="MSE (squared)").click()
    wait_idle(page, after=before)
    expect(loss.get_by_role("radio", name="MSE (squared)")).to_be_checked()
    changed = "([key, old]) => window.__linreg.surfacePrint(key) !== old"
    page.wait_for_function(changed, arg=["chart.contour", contour])
    page.wait_for_function(changed, arg=["chart.surface", surface])
    expect(page.get_by_text("training continues").first).to_be_visible()
    assert step_count(page) == 10, "changing the loss must not restart the run"
    shot()
    assert_clean(page)


def test_the_3d_camera_survives_an_update(page, base_url, shot):
    open_page(page, base_url)
    surface = page.locator(chart("chart.surface"))
    surface.scroll_into_view_if_needed()
    start = eye(page)
    # Rotate the way a user does: drag on the WebGL canvas (a relayout call from script would
    # not count as a user change for uirevision).
    box = surface.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(x + 12 * i, y + 4 * i)
    page.mouse.up()
    page.wait_for_function(
        "(old) => { const e = window.__linreg.eye('chart.surface');"
        " return Math.hypot(e[0] - old[0], e[1] - old[1], e[2] - old[2]) > 1e-3; }",
        arg=start,
    )
    dragged = eye(page)
    # Tag the graph div, and count Plotly's draws of it from now on (a full Plotly.react
    # fires plotly_afterplot; an in-place animate fires plotly_animatingframe).
    page.evaluate(
        "(sel) => { const g = document.querySelector(sel); g.__linregTag = 'before-step';"
        " window.__surfaceDraws = 0; const count = () => { window.__surfaceDraws += 1; };"
        " g.on('plotly_afterplot', count); g.on('plotly_animatingframe', count); }",
        chart("chart.surface"),
    )

    click(page, "Step")
    expect(page.locator(METRIC).first).to_have_text("1")
    # The surface chart has been drawn again with the new step ...
    page.wait_for_function("() => window.__surfaceDraws > 0")
    # ... in the same DOM node, with the camera where the user left it.
    assert (
        page.evaluate("(sel) => document.querySelector(sel).__linregTag", chart("chart.surface"))
        == "before-step"
    )
    after = eye(page)
    assert after == pytest.approx(dragged, abs=1e-6), (start, dragged, after)
    shot()
    assert_clean(page)


def test_the_replay_plays_in_the_browser(page, base_url, shot):
    open_page(page, base_url)
    click(page, "Step ×10")
    click(page, "Step ×10")
    expect(page.locator(METRIC).first).to_have_text("20")
    before = runs(page)
    page.get_by_text("Replay the recorded run in the browser").click()
    wait_idle(page, after=before)
    replay = chart("chart.replay")
    page.wait_for_function(
        "(sel) => { const g = document.querySelector(sel);"
        " return g && g._fullLayout && g.querySelector('.updatemenu-button'); }",
        arg=replay,
    )
    page.locator(replay).scroll_into_view_if_needed()
    page.evaluate(
        "(sel) => { const g = document.querySelector(sel); window.__frames = 0;"
        " g.on('plotly_animatingframe', () => { window.__frames += 1; }); }",
        replay,
    )
    # Where the moving traces are (the fitted line, the path, the 'Now' markers).
    moving = (
        "(sel) => JSON.stringify(document.querySelector(sel).data"
        ".filter((t) => t.type === 'scatter' && t.x && t.x.length <= 200)"
        ".map((t) => [t.x[t.x.length - 1], t.y[t.y.length - 1]]))"
    )
    start = page.evaluate(moving, replay)
    quiet = runs(page)

    page.locator(f"{replay} .updatemenu-button").filter(has_text="Play").click()
    page.wait_for_function(
        "(sel) => window.__frames >= 10"
        " && document.querySelector(sel)._fullLayout.sliders[0].active >= 5",
        arg=replay,
    )
    assert page.evaluate(moving, replay) != start, "the replay's moving traces did not move"
    # All of it in the browser: no script run since the Play click.
    assert runs(page) == quiet
    expect(page.locator("[data-testid=stApp]")).to_have_attribute(
        "data-test-script-state", "notRunning"
    )
    shot()
    assert not console_errors(page), console_errors(page)
    assert_clean(page)


def test_a_shared_link_reopens_the_same_view_in_a_new_session(page, browser, base_url, shot):
    """Settings in the address, steps taken, the "Share this view" link copied and opened in a
    fresh browser context (a new Streamlit session): the same step and the same numbers."""
    open_page(page, base_url, "?loss=mse&lr=0.1&noise=0.3&lr_typo=1")
    expect(page.get_by_text("lr_typo", exact=False).first).to_be_visible()  # named, ignored
    page.wait_for_function("() => !location.search.includes('lr_typo')")  # cleaned away
    assert "lr=0.1" in page.url and "loss=mse" in page.url
    click(page, "Step ×10")
    click(page, "Step")
    before = metric_values(page)
    assert before[0] == "11"
    page.get_by_text("Share this view").click()
    link = page.locator("[data-testid=stCode] code").first.inner_text().strip()
    assert link.startswith(base_url) and "step=11" in link and "lr=0.1" in link
    shot()

    other = browser.new_context(viewport=page.viewport_size)
    try:
        fresh = other.new_page()
        fresh.goto(link)
        wait_idle(fresh)
        wait_charts(fresh)
        assert metric_values(fresh) == before
        assert_clean(fresh)
    finally:
        other.close()
    assert_clean(page)
