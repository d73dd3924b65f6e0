"""Issue 11, item 6: accessibility in a real browser.

axe-core (through the `axe-playwright-python` package, which bundles axe.min.js, so nothing is
fetched) finds no serious or critical violation on any page, at the defaults and in presenter
mode. Keyboard only: Tab reaches Step, Run and Reset, each with a visible focus ring, and the
shortcut keys (→ step, Home reset) work.
"""

from __future__ import annotations

import pytest
from harness import ROOT, assert_clean, button, metric_values, runs, wait_charts, wait_idle

pytestmark = pytest.mark.browser


# Streamlit draws a grey skeleton while a widget's code loads, and fades stale elements during
# a rerun: wait until neither is on the page, twice in a row half a second apart.
SETTLED = """
() => !document.querySelector('[data-testid=stSkeleton], [data-stale=true]')
  && document.querySelectorAll('[data-testid=stMain] [data-testid=stElementContainer]').length
"""


def settle(page) -> None:
    """Wait for the app to be idle and fully drawn (no skeletons, nothing stale)."""
    for _ in range(2):
        wait_idle(page)
        page.wait_for_function(SETTLED)
        page.wait_for_timeout(500)


PAGES = ["", "Fit_a_line", "Many_features", "From_scratch", "Optimizers", "Capacity"]
PRESENTER_PAGES = ["Fit_a_line", "Many_features", "Capacity"]  # the pages with the switch
FILES = {"Capacity": "pages/5_Capacity.py"}
SEVERE = ("serious", "critical")


def open_page(page, base_url: str, name: str) -> None:
    if name in FILES and not (ROOT / FILES[name]).exists():
        pytest.skip(f"{FILES[name]} is not there yet")
    page.goto(f"{base_url}/{name}")
    settle(page)


def severe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line per element."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    violations = axe.Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {n['target']} {n.get('failureSummary', '')[-160:]}"
        for v in violations
        if v["impact"] in SEVERE
        for n in v["nodes"]
    ]


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_nothing_serious_at_the_defaults(page, base_url, name):
    open_page(page, base_url, name)
    assert_clean(page)
    found = severe_violations(page)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", PRESENTER_PAGES)
def test_axe_finds_nothing_serious_in_presenter_mode(page, base_url, name):
    open_page(page, base_url, name)
    before = runs(page)
    page.get_by_text("Presenter", exact=True).click()
    wait_idle(page, after=before)
    settle(page)
    assert page.locator("[data-testid=stSidebar]").is_hidden(), "presenter mode is not on"
    assert_clean(page)
    found = severe_violations(page)
    assert not found, "\n".join(found)


FOCUS = """
() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
    || (s.boxShadow && s.boxShadow !== 'none');
  return {text: (el.innerText || '').split('\\n')[0].trim(), tag: el.tagName, ring};
}
"""


def test_keyboard_alone_reaches_the_buttons_and_steps_the_run(page, base_url):
    open_page(page, base_url, "Fit_a_line")
    wait_charts(page)
    reached = {}
    page.locator("[data-testid=stMain] h1").click()  # start from the page, not the sidebar
    for _ in range(120):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUS)
        if now["tag"] == "BUTTON" and now["text"] in ("Step", "▶ Run", "Reset"):
            reached[now["text"]] = now["ring"]
        if len(reached) == 3:
            break
    assert set(reached) == {"Step", "▶ Run", "Reset"}, f"Tab reached only {reached}"
    assert all(reached.values()), f"no visible focus ring on {reached}"

    page.locator("[data-testid=stMain] h1").click()  # focus off the buttons and inputs
    assert metric_values(page)[0] == "0"
    before = runs(page)
    page.keyboard.press("ArrowRight")  # → takes one step
    wait_idle(page, after=before)
    assert metric_values(page)[0] == "1"
    before = runs(page)
    page.keyboard.press("Home")  # Home resets
    wait_idle(page, after=before)
    assert metric_values(page)[0] == "0"
    assert button(page, "Step").is_enabled()
    assert_clean(page)
