"""Links: what a page's address says, and keeping it in step with the page.

A link's query parameters are the page's settings by their URL keys (on top of the
defaults), `step` (the step on show: the run is replayed to it), `lesson` (a lesson of
`linreg.presets` for this page) and any parameters a page reads itself (`extra`, e.g. the
From scratch page's matrices). A bad parameter is ignored and named in a note.

While a page is open the address bar carries the lesson and every changed setting, so a
copied address rebuilds them; "Share this view" adds the step on show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import streamlit as st

from linreg.presets import BY_KEY, Preset
from linreg.settings import Settings, Table, table


@dataclass
class Link:
    """An opened link, read: the settings, the step to replay to, the lesson, the notes."""

    config: Settings
    steps: int = 0
    lesson: Preset | None = None
    notes: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)


def opened(t: Table, applied: dict | None, extra: tuple[str, ...] = ()) -> Link | None:
    """The link this session has just opened, read; None if the page should keep its state
    (`applied` is the address the page last took or wrote: the same one, or none at all)."""
    query = dict(st.query_params.items())
    if applied is not None and (not query or query == applied):
        return None
    return read(t, query, extra)


def read(t: Table, query: dict[str, str], extra: tuple[str, ...] = ()) -> Link:
    """A link's query parameters, read for the page whose table is `t`: never raises, and
    every parameter it cannot use is named in a note."""
    query = dict(query)
    key = query.pop("lesson", None)
    lesson = BY_KEY.get(key) if key is not None else None
    notes = []
    if key is not None and (lesson is None or lesson.settings is not t.cls):
        notes.append(f"Link parameter lesson: {key[:30]!r} is not a lesson of this page.")
        lesson = None
    limit = int(t.specs["max_steps"].high) if "max_steps" in t.specs else 10**6
    steps, step_notes = read_step(query.pop("step", "0"), limit)
    kept = {k: query.pop(k) for k in extra if k in query}
    config, bad = t.from_query(query, t.defaults)
    return Link(config, steps, lesson, notes + bad + step_notes, kept)


def read_step(text: str, limit: int) -> tuple[int, list[str]]:
    """The link's step on show, or 0 with a note when it is not a whole number in range.
    Only ASCII digits count ('²' passes `str.isdigit` but `int` refuses it), and only up to
    18 of them (`int` refuses more than 4,300)."""
    if text.isascii() and text.isdigit() and len(text) <= 18 and int(text) <= limit:
        return int(text), []
    return 0, [
        f"Link parameter step: {text[:20]!r} is not a step number from 0 to {limit:,}; "
        "showing step 0."
    ]


def address(config: Settings, lesson: Preset | None = None, extra: dict | None = None) -> dict:
    """The address bar's query: the lesson, every changed setting and the page's extras."""
    mark = {"lesson": lesson.key} if lesson is not None else {}
    return {**mark, **table(type(config)).to_query(config), **(extra or {})}


def sync_address(config: Settings, lesson: Preset | None = None, extra: dict | None = None):
    """Write the address bar when it differs (each write is a browser history entry);
    returns the query written, which the page keeps as the link it has applied."""
    query = address(config, lesson, extra)
    if query != dict(st.query_params.items()):
        st.query_params.from_dict(query)
    return query


def share(config: Settings, step: int, lesson: Preset | None = None, extra=None) -> str:
    """A link that reopens this view on a fresh server: the address plus the step on show.
    The timeline's marks (`then=20:lr=0.07;45:opt=adam`) stay readable in it."""
    base = (st.context.url or "").split("?")[0]
    query = {**address(config, lesson, extra), **({"step": str(step)} if step else {})}
    return base + ("?" + urlencode(query, safe=":;,=") if query else "")


def share_box(link: str, what: str = "replays the run to this step", note: str = "") -> None:
    """The "Share this view" expander."""
    with st.expander("Share this view"):
        st.code(link, language=None, wrap_lines=True)
        st.caption(
            f"Copy it with the button on the right. Opened anywhere, it rebuilds these "
            f"settings and {what}, with every mid-run change made at its step (`then`). "
            f"(The address bar carries the settings in force now, from step 0; this link "
            f"carries the run.){note}"
        )


def banner(lesson: Preset | None, notes: list[str]) -> None:
    """The lesson's title and what to notice, then one warning per note (emptied)."""
    if lesson is not None:
        st.info(f"**{lesson.title}.** {lesson.notice}", icon="🎓")
    while notes:
        st.warning(notes.pop(0))
