"""The live chart component and the replay player in a real browser, on /Fit_a_line.

* Plotly is the plotly.min.js of the installed plotly package (not Streamlit's private
  bundle), and a figure spec from Python is drawn as sent.
* The contour's static backdrop (its lines, hover grid, colour bar and picture) goes to the
  browser once, yet shows after every update; a chart that loses it (remounted) gets it back.
* The 3-D view is drawn after the 2-D views, and its first redraw after loading is not held
  back by the cost of its first draw (which sets up WebGL).
* The replay, in the page and in the exported HTML page, is played by the page's own player.

What the server sent is read off the websocket (Streamlit's protobuf, decoded here), so a
test sees the very spec Python serialised. No timings are asserted (see bench/p6_browser.py).
"""

from __future__ import annotations

import json

import pytest
from harness import (
    assert_clean,
    button,
    chart,
    metric_values,
    runs,
    surface_print,
    wait_charts,
    wait_idle,
)
from playwright.sync_api import expect
from plotly.offline import get_plotlyjs_version
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

pytestmark = pytest.mark.browser

BACKDROP = ("contour-lines", "contour-scale", "contour-hover")


class Sent:
    """Every live chart payload the server sends this page: [(key, payload dict)]."""

    def __init__(self, page) -> None:
        self.charts: list[tuple[str, dict]] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self.frame))

    def frame(self, payload) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg.FromString(payload)
        if msg.WhichOneof("type") != "delta" or not msg.delta.HasField("new_element"):
            return
        element = msg.delta.new_element
        if element.WhichOneof("type") == "bidi_component" and element.bidi_component.json:
            data = json.loads(element.bidi_component.json)
            if "spec" in data:
                self.charts.append((data["key"], data))

    def specs(self, key: str) -> list[dict]:
        return [json.loads(d["spec"]) for k, d in self.charts if k == key]


def open_page(page, base_url: str, query: str = "") -> Sent:
    sent = Sent(page)
    page.goto(f"{base_url}/Fit_a_line{query}")
    wait_idle(page)
    wait_charts(page)
    return sent


def click(page, name: str) -> None:
    before = runs(page)
    button(page, name).click()
    wait_idle(page, after=before)


def data_of(page, key: str) -> list[dict]:
    """What Plotly holds for a chart: each trace's uid, type, name, x and y."""
    return page.evaluate(
        """(sel) => document.querySelector(sel).data.map((t) => ({ uid: t.uid, type: t.type,
             name: t.name, x: t.x && Array.from(t.x), y: t.y && Array.from(t.y) }))""",
        chart(key),
    )


def backdrop_on_screen(page) -> dict:
    """The contour chart's backdrop as drawn: its picture, and how much line it draws."""
    return page.evaluate(
        """(sel) => {
          const g = document.querySelector(sel);
          const image = g.querySelector(".imagelayer image");
          // One path per stretch of line between two gaps (NaN) of the lines trace.
          const paths = g.querySelectorAll(".scatterlayer .tracecontour-lines path.js-line");
          return { picture: image ? image.href.baseVal.slice(0, 22) : null,
                   lines: [...paths].reduce((n, p) => n + p.getAttribute("d").length, 0) };
        }""",
        chart("chart.contour"),
    )


def test_plotly_is_the_installed_packages_and_a_python_spec_draws_as_sent(page, base_url, shot):
    sent = open_page(page, base_url)
    assert page.evaluate("window.Plotly.version") == get_plotlyjs_version()
    fetched = page.evaluate("performance.getEntriesByType('resource').map((r) => r.name)")
    assert [u for u in fetched if "/component/linreg.ui.plot.plotly/plotly.min.js" in u]
    assert not [u for u in fetched if "PlotlyChart" in u], "Streamlit's private Plotly bundle"
    (spec,) = sent.specs("chart.fit")
    drawn = data_of(page, "chart.fit")
    assert [t.get("name") for t in spec["data"]] == [t["name"] for t in drawn]
    for want, got in zip(spec["data"], drawn, strict=True):
        assert got["x"] == pytest.approx(want["x"]) and got["y"] == pytest.approx(want["y"])
    # ... and on screen: one marker per training point.
    points = page.evaluate(
        "(sel) => document.querySelector(sel).querySelector('.scatterlayer .trace')"
        ".querySelectorAll('path.point').length",
        chart("chart.fit"),
    )
    assert points == len(spec["data"][0]["x"])
    shot()
    assert_clean(page)


def test_the_contour_backdrop_is_sent_once_and_shows_after_every_update(page, base_url, shot):
    sent = open_page(page, base_url)
    before = surface_print(page, "chart.contour")
    assert all(f"{uid}=" in before for uid in BACKDROP) and "image=" in before
    on_screen = backdrop_on_screen(page)
    assert on_screen["picture"] == "data:image/png;base64," and on_screen["lines"] > 1000
    for k in range(1, 5):
        click(page, "Step")
        expect(page.locator("[data-testid=stMetricValue]").first).to_have_text(str(k))
        page.wait_for_function(
            "([sel, k]) => { const p = document.querySelector(sel).data.find("
            "(t) => t.name === 'Path'); return p && p.x.length === k + 1; }",
            arg=[chart("chart.contour"), k],
        )
        assert surface_print(page, "chart.contour") == before
        now = backdrop_on_screen(page)  # (Plotly may simplify the lines a little differently)
        assert now["picture"] == on_screen["picture"]
        assert now["lines"] == pytest.approx(on_screen["lines"], rel=0.05)
    specs = sent.specs("chart.contour")
    assert len(specs) >= 5
    full = {t["uid"] for t in specs[0]["data"] if t.get("uid") in BACKDROP and "x" in t}
    assert full == set(BACKDROP)
    for spec in specs[1:]:
        kept = [t for t in spec["data"] if t.get("uid") in BACKDROP]
        assert kept == [{"uid": uid, "linreg_kept": True} for uid in BACKDROP]
        assert spec["layout"]["images"] == [{"name": "contour-picture", "linreg_kept": True}]
    sizes = [len(d["spec"]) for k, d in sent.charts if k == "chart.contour"]
    assert max(sizes[1:]) < sizes[0] / 5, sizes
    shot()
    assert_clean(page)


def test_a_remounted_chart_gets_its_static_parts_back(page, base_url, shot):
    sent = open_page(page, base_url)
    click(page, "Step")
    surface, contour = (surface_print(page, k) for k in ("chart.surface", "chart.contour"))
    toggle = page.get_by_test_id("stSidebar").get_by_text("3-D surface", exact=True)
    toggle.click()
    wait_idle(page)
    expect(page.locator(chart("chart.surface"))).to_have_count(0)
    count = len(sent.specs("chart.surface"))
    toggle.click()  # a new element: its stub cannot be filled, so it asks again
    wait_idle(page)
    wait_charts(page)
    page.wait_for_function(
        "([key, old]) => window.__linreg.surfacePrint(key) === old", arg=["chart.surface", surface]
    )
    again = sent.specs("chart.surface")[count:]
    assert any("z" in t for spec in again for t in spec["data"] if t.get("uid"))

    # Away to another page and back: every chart there is new, and gets everything.
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("link", name="Many features").click()
    wait_idle(page)
    expect(page.locator(chart("chart.contour"))).to_have_count(0)
    sidebar.get_by_role("link", name="Fit a line").click()
    wait_idle(page)
    wait_charts(page)
    page.wait_for_function(
        "([key, old]) => window.__linreg.surfacePrint(key) === old", arg=["chart.contour", contour]
    )
    assert backdrop_on_screen(page)["lines"] > 1000
    shot()
    assert_clean(page)


def test_the_3d_view_is_drawn_last_and_its_first_redraw_is_not_held_back(page, base_url):
    open_page(page, base_url)
    page.wait_for_function(
        "() => performance.getEntriesByName('linreg:drawn chart.surface').length > 0"
    )
    marks = page.evaluate(
        "performance.getEntriesByType('mark').filter((m) => m.name.startsWith('linreg:drawn'))"
        ".map((m) => [m.name.slice(13), m.startTime])"
    )
    drawn = dict(marks)
    assert set(drawn) == {"chart.fit", "chart.loss", "chart.contour", "chart.surface"}
    assert (
        max(drawn[k] for k in ("chart.fit", "chart.loss", "chart.contour")) < drawn["chart.surface"]
    )
    assert page.evaluate("performance.getEntriesByName('linreg:plotly').length") == 1
    path = "(sel) => document.querySelector(sel).data.find((t) => t.type === 'scatter3d').x.length"
    before = page.evaluate(path, chart("chart.surface"))
    click(page, "Step")
    page.wait_for_function(f"(sel) => ({path})(sel) > {before}", arg=chart("chart.surface"))
    assert page.locator(chart("chart.surface")).get_attribute("data-held") == "0"
    assert_clean(page)


# Records the frames a replay figure draws; the page's own player has taken its Play button
# over when that button's method is "skip" (Plotly runs nothing for it, only the event).
WATCH_REPLAY = """
(sel) => {
  const g = document.querySelector(sel);
  window.__frames = [];
  g.on("plotly_animatingframe", (e) => window.__frames.push(e.name));
  const play = g.layout.updatemenus[0].buttons.find((b) => b.args[0] === null);
  return [play.method, g._transitionData._frames.map((f) => f.name)];
}
"""
AT_END = """
([sel, last]) => window.__frames.length > 0 && window.__frames.at(-1) === last
  && document.querySelector(sel)._fullLayout.sliders[0].active
     === document.querySelector(sel)._transitionData._frames.length - 1
"""


def play(page, sel: str) -> list[str]:
    """Press the replay's Play and wait for its last frame: the frames drawn, in order."""
    method, names = page.evaluate(WATCH_REPLAY, sel)
    assert method == "skip", "the page's player did not take the Play button over"
    page.locator(f"{sel} .updatemenu-button").filter(has_text="Play").click()
    page.wait_for_function(AT_END, arg=[sel, names[-1]], timeout=60_000)
    frames = page.evaluate("window.__frames")
    assert frames == sorted(frames, key=names.index), "frames out of order"
    assert set(frames) <= set(names) and len(frames) >= 2
    return frames


def test_the_replay_is_played_by_the_pages_player_here_and_exported(page, base_url, tmp_path):
    open_page(page, base_url)
    click(page, "Step ×10")
    click(page, "Step ×10")
    before = runs(page)
    page.get_by_text("Replay the recorded run in the browser").click()
    wait_idle(page, after=before)
    sel = chart("chart.replay")
    page.wait_for_function(
        "(sel) => { const g = document.querySelector(sel);"
        " return g && g._fullLayout && g.layout.updatemenus[0].buttons[0].method === 'skip'; }",
        arg=sel,
    )
    page.locator(sel).scroll_into_view_if_needed()
    quiet = runs(page)
    play(page, sel)
    assert runs(page) == quiet  # all of it in the browser
    assert metric_values(page)[0] == "20"

    page.get_by_text("Export this run").click()
    with page.expect_download() as download:
        button(page, "Animated page (HTML)").click()
    html = tmp_path / "replay.html"
    download.value.save_as(html)
    exported = page.context.new_page()
    exported.goto(html.as_uri())
    exported.wait_for_function(
        "() => { const g = document.querySelector('.js-plotly-plot');"
        " return g && g._fullLayout && g.layout.updatemenus[0].buttons[0].method === 'skip'; }"
    )
    play(exported, ".js-plotly-plot")
    exported.close()
    assert_clean(page)
