"""Journeys on /Many_features in a real browser: open, step, run and pause, switch the data
source, upload a CSV, and the lesson: standardise the crop features and take a large rate.

Waits are on the app's script runs (harness.wait_idle) or on conditions in the page, never
on fixed sleeps, except where a test checks that something does *not* happen.
"""

from __future__ import annotations

import pytest
from harness import PLOTS, assert_clean, button, chart, metric_values, runs, wait_charts, wait_idle
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

KEYS = (
    "features.chart.loss",
    "features.chart.parity",
    "features.chart.weights",
    "features.chart.slice",
    "features.chart.agree",
)
METRIC = "[data-testid=stMetricValue]"


def open_page(page, base_url: str, query: str = "", charts: int = len(KEYS)) -> None:
    page.goto(f"{base_url}/Many_features{query}")
    wait_idle(page)
    wait_charts(page, charts)


def click(page, name: str) -> None:
    before = runs(page)
    button(page, name).click()
    wait_idle(page, after=before)


def metrics(page) -> dict[str, str]:
    labels = page.locator("[data-testid=stMetricLabel]").all_inner_texts()
    return dict(zip(labels, metric_values(page), strict=True))


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the selectbox labelled `label`."""
    before = runs(page)
    page.get_by_label(label, exact=True).first.click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page, after=before)


def test_page_opens_with_every_view(page, base_url, shot):
    open_page(page, base_url)
    keys = page.evaluate(
        "(sel) => [...document.querySelectorAll(sel)].map((g) => g.dataset.key)", PLOTS
    )
    assert sorted(keys) == sorted(KEYS)
    assert metrics(page)["Step"] == "0"
    expect(page.get_by_text("critical rate 2/λmax").first).to_be_visible()
    # the slice is a contour with the path, the step shown and the optimum
    types = page.evaluate(
        "(sel) => document.querySelector(sel).data.map((t) => t.type)",
        chart("features.chart.slice"),
    )
    assert types == ["contour", "scatter", "scatter", "scatter"]
    shot()
    assert_clean(page)


def test_step_then_run_and_pause(page, base_url, shot):
    open_page(page, base_url)
    click(page, "Step")
    expect(page.locator(METRIC).first).to_have_text("1")
    first = metrics(page)["Train MSE"]
    click(page, "Step ×10")
    expect(page.locator(METRIC).first).to_have_text("11")
    assert metrics(page)["Train MSE"] != first
    click(page, "▶ Run")
    page.wait_for_function(
        "(sel) => Number(document.querySelector(sel).textContent) >= 41",
        arg=METRIC,
        timeout=30_000,
    )
    click(page, "⏸ Pause")
    expect(button(page, "▶ Run")).to_be_visible()
    paused = int(page.locator(METRIC).first.inner_text())
    page.wait_for_timeout(1000)  # a negative check needs a window
    wait_idle(page)
    assert int(page.locator(METRIC).first.inner_text()) == paused
    shot()
    assert_clean(page)


def test_switch_data_source_to_synthetic_and_crop5(page, base_url, shot):
    open_page(page, base_url)
    choose(page, "Data", "Synthetic")
    wait_charts(page, len(KEYS))
    expect(page.locator("[data-testid=stMetricLabel]").filter(has_text="MSE y1")).to_be_visible()
    names = page.evaluate(
        "(sel) => document.querySelector(sel).data[0].x", chart("features.chart.weights")
    )
    assert names == ["x1", "x2", "x3", "bias"]
    click(page, "Step ×10")
    shot()
    choose(page, "Data", "Crop yields, 5 rows")
    expect(page.get_by_text("5 rows of temperature").first).to_be_visible()
    assert_clean(page)


def test_standardise_and_a_large_rate_converge(page, base_url, shot):
    open_page(page, base_url, "?bs=0")
    click(page, "Step ×10")
    raw = float(metrics(page)["Train MSE"])
    before = runs(page)
    page.locator("[data-testid=stSidebarUserContent]").get_by_text(
        "Standardise features", exact=True
    ).click()
    wait_idle(page, after=before)
    expect(page.get_by_text("Standardisation changed the features").first).to_be_visible()
    click(page, "Use ½ × critical rate")
    click(page, "Step ×10")
    expect(page.locator(METRIC).first).to_have_text("10")
    scaled = float(metrics(page)["Train MSE"])
    assert scaled < raw / 100, (raw, scaled)
    title = page.evaluate(
        "(sel) => document.querySelector(sel).layout.title.text", chart("features.chart.weights")
    )
    assert "original units" in title
    shot()
    assert_clean(page)


def test_csv_upload_with_several_columns(page, base_url, shot, tmp_path):
    open_page(page, base_url, "?src=csv")
    expect(page.get_by_text("no file is loaded").first).to_be_visible()
    path = tmp_path / "farms.csv"
    path.write_text("t,r,h,apples,oranges\n73,67,43,56,70\n91,88,64,81,101\n87,134,58,119,133\n")
    before = runs(page)
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    wait_idle(page, after=before)
    expect(page.get_by_text("Using your data (farms.csv)").first).to_be_visible()
    wait_charts(page, len(KEYS))
    shown = metrics(page)  # by default the last column is the target, the others features
    assert "MSE oranges" in shown and "MSE apples" not in shown
    shot()
    assert_clean(page)
