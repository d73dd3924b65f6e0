"""The live chart component, server side: what each update sends.

A static trace (by uid) or layout image (by name) listed in `revisions` goes to a chart once
per revision and per session, then as a stub; a chart that asks for it again (it lost it),
or a session that moves to another page, gets it again. The component's JavaScript and Plotly
are files served once per page, so an update carries only a small loader.
"""

from __future__ import annotations

import json
import re

from plotly.offline import get_plotlyjs_version
from streamlit.testing.v1 import AppTest

from linreg.ui import plot


def chart_app():
    """A chart whose big static trace and picture have revision `rev`, drawn at step `n`."""
    import numpy as np
    import streamlit as st

    from linreg.ui import plot

    s = st.session_state
    n = s.n = s.get("n", -1) + 1
    if s.get("moved"):  # as if this session's last run had drawn another page
        s[plot.SENT][plot.PAGE] = "another page"
        s.moved = False
    if s.get("lost"):  # what the component's "missing" trigger calls back
        plot.forget("c")
        s.lost = False
    big = {"type": "scatter", "uid": "lines", "x": np.arange(3000.0), "y": np.ones(3000)}
    picture = {"name": "picture", "source": "data:image/png;base64," + "A" * 4000}
    moving = {"type": "scatter", "x": [float(n)], "y": [2.0 * n]}
    spec = {"data": [big, moving], "layout": {"images": [picture], "title": {"text": "t"}}}
    rev = s.get("rev", 1)
    plot.live_chart(spec, key="c", revisions={"lines": rev, "picture": rev})


def sent(at: AppTest) -> tuple[dict, dict, str]:
    """The chart's figure spec as sent, the whole payload, and the component's JavaScript."""
    (element,) = at.get("bidi_component")
    payload = json.loads(element.proto.json)
    return json.loads(payload["spec"]), payload, element.proto.js_content


def run(at: AppTest, **state) -> AppTest:
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_static_trace_and_picture_go_once_then_as_stubs():
    at = run(AppTest.from_function(chart_app))
    first, _, _ = sent(at)
    assert len(first["data"][0]["x"]) == 3000
    assert first["layout"]["images"][0]["source"].startswith("data:image/png")
    for n in (1, 2, 3):
        spec, payload, _ = sent(run(at))
        assert spec["data"][0] == {"uid": "lines", plot.KEPT: True}
        assert spec["layout"]["images"] == [{"name": "picture", plot.KEPT: True}]
        assert spec["data"][1]["x"] == [n]  # the moving trace still goes every time
        assert spec["layout"]["title"]["text"] == "t"
        assert payload["revisions"] == {"lines": 1, "picture": 1}
        assert len(payload["spec"]) < 400


def test_a_new_revision_goes_in_full_once():
    at = run(AppTest.from_function(chart_app))
    run(at)
    spec, _, _ = sent(run(at, rev=2))
    assert len(spec["data"][0]["x"]) == 3000
    assert "source" in spec["layout"]["images"][0]
    spec, _, _ = sent(run(at))
    assert plot.KEPT in spec["data"][0] and plot.KEPT in spec["layout"]["images"][0]


def test_a_chart_that_lost_its_static_items_gets_them_again():
    at = run(AppTest.from_function(chart_app))
    run(at)
    spec, _, _ = sent(run(at, lost=True))
    assert len(spec["data"][0]["x"]) == 3000
    assert "source" in spec["layout"]["images"][0]
    spec, _, _ = sent(run(at))
    assert plot.KEPT in spec["data"][0]


def test_coming_from_another_page_starts_with_nothing_sent():
    at = run(AppTest.from_function(chart_app))
    assert plot.KEPT in sent(run(at))[0]["data"][0]
    spec, _, _ = sent(run(at, moved=True))
    assert len(spec["data"][0]["x"]) == 3000
    assert plot.KEPT in sent(run(at))[0]["data"][0]


def test_the_callback_for_missing_items_is_wired_to_forget(monkeypatch):
    """The component's trigger "missing" (sent by plot.js) runs plot.forget for its key."""
    calls = []

    def mount(**kwargs):
        calls.append(kwargs)

    monkeypatch.setattr(plot, "_component", lambda *a: mount)
    monkeypatch.setattr(plot, "sent_to", lambda key: {})
    monkeypatch.setattr(plot, "served", dict)
    forgotten = []
    monkeypatch.setattr(plot, "forget", forgotten.append)
    plot.live_chart({"data": [], "layout": {}}, key="k")
    calls[0]["on_missing_change"]()
    assert forgotten == ["k"]


def test_each_update_carries_a_small_loader_that_names_the_served_files():
    at = run(AppTest.from_function(chart_app))
    _, _, js = sent(at)
    assert len(js) < 1000  # not the component's code, and not Plotly
    urls = plot.served()
    assert urls["code"] in js and urls["plotly"] in js
    # Those names are real files: the served folders hold them.
    assert (plot.WEB / "plot.js").is_file() and (plot.WEB / "player.js").is_file()
    header = (plot.PLOTLY_DIR / "plotly.min.js").read_text(errors="replace")[:200]
    # The version in the URL is the one the installed plotly package's file says it is.
    assert re.search(r"plotly\.js v(\S+)", header).group(1) == get_plotlyjs_version()
    assert urls["plotly"].endswith(f"plotly.min.js?v={get_plotlyjs_version()}")
