"""Links never crash: every page reads any query and names each parameter it cannot use.

Two layers, both fed the same generated links (good and bad values of every setting,
unicode digits, numbers of 5,000 digits, empty values, unknown keys, `step`, `lesson` and
the From scratch page's matrices A and B):

1. `links.read`, which every page's `links.opened` calls, with at least 1,000 links per
   page: no exception, exactly one note per bad parameter, and the good ones applied.
2. Each real page opened through AppTest with a few dozen links (repeated keys too, and the
   known crashers `step=²` and `step=` 5,000 nines): no exception, a warning per bad
   parameter (an error per bad matrix).

The expected outcome of a link is worked out here, from how it was generated: a good value
is drawn from its setting's range or choices and read back with plain float/int; a bad one
comes from a list of values no setting accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pagetest import ROOT
from streamlit.testing.v1 import AppTest

from linreg import matmul
from linreg.presets import PRESETS
from linreg.settings import FIT, OPTIMIZER_LABELS, Table, table
from linreg.settings.features import FeaturesConfig
from linreg.settings.race import RACE, RACERS
from linreg.settings.scratch import ScratchConfig
from linreg.ui import links


@dataclass(frozen=True)
class LinkedPage:
    path: str
    table: Table
    extra: tuple[str, ...]  # the parameters the page reads itself
    step_limit: int  # the largest step a link may ask for
    rules: tuple = ()  # the rules between settings, as (values -> bool)


PAGES = {
    "fit": LinkedPage(
        "pages/1_Fit_a_line.py",
        FIT,
        (),
        100_000,
        (lambda v: v["x_min"] < v["x_max"],),
    ),
    "features": LinkedPage(
        "pages/2_Many_features.py",
        table(FeaturesConfig),
        (),
        100_000,
        (lambda v: v["slice_i"] != v["slice_j"],),
    ),
    "scratch": LinkedPage("pages/3_From_scratch.py", table(ScratchConfig), ("A", "B"), 10**6),
    "race": LinkedPage(
        "pages/4_Optimizers.py",
        RACE,
        (),
        20_000,
        (
            lambda v: v["x_min"] < v["x_max"],
            lambda v: any(v[name] for name in OPTIMIZER_LABELS),
            lambda v: v["sweep_lr_min"] < v["sweep_lr_max"],
        ),
    ),
}
# Settings whose good values make a page slow (a float32 run of 2,000,000 epochs, a sweep
# of 100 rates × 5,000 steps): the AppTest layer gives them bad values only.
COSTLY = {"long", "sw_n", "sw_steps"}

# Keys no generated unknown key may take: Fit a line's timeline of changes (its own reader,
# not fuzzed here) and Streamlit's own.
RESERVED = {"then", "embed", "embed_options"}
BOOL_WORDS = {"true": True, "false": False, "1": True, "0": False}
BOOL_WORDS |= {"yes": True, "no": False, "on": True, "off": False}
NINES = "9" * 5000  # more digits than int() takes (4,300)
# No setting accepts any of these: not a number, not a choice, not true or false.
UNREADABLE = (
    "",
    " ",
    "²",
    "٣",
    "１２",
    "³٣",
    NINES,
    "-" + NINES,
    "1e999",
    "-1e999",
    "nan",
    "inf",
    "-Infinity",
    "0x10",
    "1,5",
    "abc",
    "\x00",
    "true false",
    "None",
    "[]",
)
POISON = "#²٣１/\x00%&="  # one of these in a text makes it unreadable as any setting
text = st.text(st.characters(codec="utf-8"), max_size=12)  # utf-8: no lone surrogates
junk = st.builds(lambda a, p, b: a + p + b, text, st.sampled_from(POISON), text)


def note_name(t: Table, name: str) -> str:
    """How a note names a setting."""
    spec = t.specs[name]
    return spec.long_label or spec.label


# ---- what a link says, and what reading it must give ---------------------------------------
@dataclass
class Expect:
    good: dict = field(default_factory=dict)  # setting name -> the value it must take
    bad: list = field(default_factory=list)  # setting names a note must name
    unknown: list = field(default_factory=list)  # keys that are not parameters
    step: int | None = 0  # None: a bad step
    lesson: str | None = None
    bad_lesson: bool = False
    extra: dict = field(default_factory=dict)
    bad_matrices: list = field(default_factory=list)  # "A", "B"
    shapes_clash: bool = False


def good_value(t: Table, name: str):
    """A text the setting accepts, and the value it stands for."""
    spec, kind = t.specs[name], t.kinds[name]
    if kind is bool:
        words = st.sampled_from(sorted(BOOL_WORDS))
        return words.flatmap(lambda w: st.sampled_from([w, w.upper(), f" {w} "])).map(
            lambda s: (s, BOOL_WORDS[s.strip().lower()])
        )
    if kind is str:
        choices = st.sampled_from(spec.choices)
        return choices.flatmap(lambda c: st.sampled_from([(c, c), (c.upper(), c), (f" {c}", c)]))
    if kind is int:
        return st.integers(int(spec.low), int(spec.high)).map(lambda v: (str(v), v))
    return st.floats(spec.low, spec.high).map(lambda v: (repr(v), v))


def bad_value(t: Table, name: str):
    """A text the setting refuses."""
    spec, kind = t.specs[name], t.kinds[name]
    options = [st.sampled_from(UNREADABLE), junk]
    if kind is bool:
        options.append(st.sampled_from(["2", "-1", "0.5", "tru", "yess"]))
    if kind in (int, float):
        above = st.floats(min_value=spec.high, exclude_min=True, allow_infinity=False)
        below = st.floats(max_value=spec.low, exclude_max=True, allow_infinity=False)
        options.append(st.one_of(above, below).map(repr))
    if kind is int:
        options.append(st.integers(int(spec.low), int(spec.high) - 1).map(lambda v: f"{v}.5"))
    return st.one_of(options)


def good_matrix():
    rows, cols = st.integers(1, 6), st.integers(1, 6)
    cell = st.integers(-(10**6), 10**6).map(str)

    def matrix(shape):
        r, c = shape
        grid = st.lists(st.lists(cell, min_size=c, max_size=c), min_size=r, max_size=r)
        return st.tuples(grid, st.sampled_from([" ", ", "]), st.sampled_from(["; ", "\n"])).map(
            lambda g: ((g[2].join(g[1].join(row) for row in g[0])), (r, c))
        )

    return st.tuples(rows, cols).flatmap(matrix)


def seed_shape(key: str) -> tuple[int, int]:
    """Rows and columns of the matrix the page shows when a link gives none."""
    rows = {"A": matmul.SEED_A, "B": matmul.SEED_B}[key].split(";")
    return len(rows), len(rows[0].split())


BAD_MATRICES = ("x", "", "  ", "²", NINES, "1 2; 3", "1e7", "nan", "1;2;3;4;5;6;7", "1 2 3 4 5 6 7")


@st.composite
def link(draw, page: LinkedPage, cheap: bool = False, small_step: int | None = None):
    """A query for `page`, and what reading it must give."""
    t, expect, query = page.table, Expect(), {}
    names = draw(st.lists(st.sampled_from(sorted(t.specs)), unique=True, max_size=6))
    for name in names:
        key = t.specs[name].url
        if draw(st.booleans()) and not (cheap and key in COSTLY):
            query[key], expect.good[name] = draw(good_value(t, name))
        else:
            query[key] = draw(bad_value(t, name))
            expect.bad.append(name)
    choice = draw(st.sampled_from(["none", "good", "bad"]))
    if choice == "good":
        step = draw(st.integers(0, small_step or page.step_limit))
        query["step"], expect.step = str(step), step
    elif choice == "bad":
        too_big = str(page.step_limit + 1)
        unusable = ["²", "٣", "１", NINES, "-1", too_big, "1.5", "", " 1", "1e3", "+1"]
        query["step"] = draw(st.one_of(st.sampled_from(unusable), junk))
        expect.step = None
    lessons = [p.key for p in PRESETS if table(p.settings) is t]
    others = [p.key for p in PRESETS if table(p.settings) is not t]
    choice = draw(st.sampled_from(["none", "good", "bad"] if lessons else ["none", "bad"]))
    if choice == "good":
        query["lesson"] = expect.lesson = draw(st.sampled_from(lessons))
    elif choice == "bad":
        query["lesson"] = draw(st.one_of(st.sampled_from(others), junk))
        expect.bad_lesson = True
    taken = {*t.by_url, "step", "lesson", *page.extra, *RESERVED}
    unknown = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12)
    for key in draw(st.lists(unknown.filter(lambda k: k not in taken), unique=True, max_size=2)):
        query[key] = draw(text)
        expect.unknown.append(key)
    shapes = {key: seed_shape(key) for key in page.extra}
    for key in page.extra:  # the matrices A and B
        choice = draw(st.sampled_from(["none", "good", "bad"]))
        if choice == "good":
            query[key], shapes[key] = draw(good_matrix())
        elif choice == "bad":
            query[key] = draw(st.sampled_from(BAD_MATRICES))
            expect.bad_matrices.append(key)
        if key in query:
            expect.extra[key] = query[key]
    if page.extra:
        expect.shapes_clash = shapes["A"][1] != shapes["B"][0]
    order = draw(st.permutations(list(query)))
    return {k: query[k] for k in order}, expect


def rules_broken(page: LinkedPage, expect: Expect) -> bool:
    values = {name: getattr(page.table.defaults, name) for name in page.table.specs}
    values.update(expect.good)
    return not all(rule(values) for rule in page.rules)


def notes_expected(page: LinkedPage, expect: Expect) -> int:
    return (
        len(expect.bad)
        + len(expect.unknown)
        + (expect.step is None)
        + expect.bad_lesson
        + rules_broken(page, expect)
    )


# ---- 1. the reader itself ------------------------------------------------------------------
def test_a_note_names_each_setting_of_a_page_apart():
    for page in PAGES.values():
        names = [note_name(page.table, n) for n in page.table.specs]
        assert len(set(names)) == len(names), page.path


def test_a_racers_notes_name_the_racer():
    for name, spec in RACE.specs.items():
        if spec.group == RACERS:
            racer = OPTIMIZER_LABELS[name.split("_")[0]]
            assert note_name(RACE, name).startswith(racer), name
    got = links.read(RACE, {"adam_lr": "abc", "sgd_lr": "abc"}).notes
    assert got == [
        "Adam's learning rate: expected a number, got 'abc'.",
        "SGD's learning rate: expected a number, got 'abc'.",
    ]


@pytest.mark.parametrize(
    "query",
    [{"step": "²"}, {"step": NINES}, {"step": "٣"}, {"lr": NINES}, {"lr": "٣"}, {"n": "１２"}],
)
def test_the_known_crashers_are_notes(query):
    got = links.read(FIT, query)
    assert got.config == FIT.defaults and got.steps == 0 and len(got.notes) == 1


@pytest.mark.parametrize("text", ["٣", "１２", "１", "٠.٥", "1٠"])
def test_a_setting_reads_ascii_digits_only(text):
    """float() reads '٣' as 3, but no link of ours writes it: refused, with a note."""
    got = links.read(FIT, {"n": text, "lr": text, "seed": text})
    assert got.config == FIT.defaults
    assert len(got.notes) == 3 and all(": expected a number, got" in n for n in got.notes)


@pytest.mark.parametrize("name", sorted(PAGES))
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_link_is_read_and_every_bad_parameter_noted(name, data):
    page = PAGES[name]
    t = page.table
    query, expect = data.draw(link(page))
    got = links.read(t, query, page.extra)

    assert isinstance(got.config, t.cls)
    assert all(n.isprintable() and len(n) < 300 for n in got.notes), got.notes
    for bad in expect.bad:
        named = [n for n in got.notes if n.startswith(note_name(t, bad) + ":")]
        assert len(named) == 1, (bad, got.notes)
    unknown = [n for n in got.notes if n.startswith("Unknown link parameter")]
    assert len(unknown) == len(expect.unknown), got.notes
    assert len(got.notes) == notes_expected(page, expect), got.notes
    if expect.step is None:
        assert got.steps == 0 and any(n.startswith("Link parameter step:") for n in got.notes)
    else:
        assert got.steps == expect.step
    assert (got.lesson.key if got.lesson else None) == expect.lesson
    assert got.extra == expect.extra
    if not rules_broken(page, expect):
        for setting, value in expect.good.items():
            assert getattr(got.config, setting) == value, setting
        for setting in set(t.specs) - set(expect.good):
            assert getattr(got.config, setting) == getattr(t.defaults, setting), setting
    if page.extra:
        check_matrices(got.extra, expect)


def check_matrices(extra: dict, expect: Expect) -> None:
    """Every problem with A and B at once: one message per bad matrix, or the shapes'."""
    text = {k: extra.get(k, seed) for k, seed in (("A", matmul.SEED_A), ("B", matmul.SEED_B))}
    a, b, errors = matmul.parse_both(text["A"], text["B"])
    if expect.bad_matrices:
        assert [e[0] for e in errors] == expect.bad_matrices, errors
    elif expect.shapes_clash:
        assert len(errors) == 1 and "A @ B needs" in errors[0], errors
    else:
        assert errors == [] and a is not None and b is not None


# ---- 2. the real pages ---------------------------------------------------------------------
def page_shows(at, page: LinkedPage, expect: Expect) -> None:
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    for bad in expect.bad:
        name = note_name(page.table, bad) + ":"
        assert any(w.startswith(name) for w in warnings), (bad, warnings)
    unknown = [w for w in warnings if w.startswith("Unknown link parameter")]
    assert len(unknown) == len(expect.unknown), warnings
    if expect.step is None:
        assert any(w.startswith("Link parameter step:") for w in warnings), warnings
    if expect.bad_lesson:
        assert any(w.startswith("Link parameter lesson:") for w in warnings), warnings
    errors = [e.value for e in at.error]
    for key in expect.bad_matrices:
        assert any(e.startswith(key) for e in errors), (key, errors)


@st.composite
def page_link(draw, page: LinkedPage):
    """A link as a browser sends it: some keys repeated (the page reads the last value)."""
    query, expect = draw(link(page, cheap=True, small_step=30))
    for key in list(query):
        if draw(st.integers(0, 9)) == 0:
            query[key] = [draw(text), query[key]]
    return query, expect


def open_link(page: LinkedPage, query: dict) -> AppTest:
    """A fresh session opened on the link, as pagetest's Page.open (which takes the query as
    keyword arguments: a key such as 'self' could not be one)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(query)
    at.run()
    at.switch_page(page.path)
    at.run()
    return at


@pytest.mark.parametrize("name", sorted(PAGES))
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_page_opens_any_link_and_warns_of_every_bad_parameter(name, data):
    page = PAGES[name]
    query, expect = data.draw(page_link(page))
    page_shows(open_link(page, query), page, expect)


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize(
    "query",
    [{"step": "²"}, {"step": NINES}, {"step": ["1", "٣"], "lr": "١"}],
    ids=["superscript", "nines", "arabic-and-repeated"],
)
def test_a_page_opens_the_known_crashers(name, query):
    page = PAGES[name]
    at = open_link(page, query)
    expect = Expect(step=None, bad=["learning_rate"] if "lr" in query else [])
    if "lr" in query and "learning_rate" not in page.table.specs:  # the race's rates
        expect.bad, expect.unknown = [], ["lr"]
    page_shows(at, page, expect)


def test_from_scratch_shows_every_matrix_error_at_once():
    page = PAGES["scratch"]
    at = open_link(page, {"A": "x", "B": ""})
    page_shows(at, page, Expect(bad_matrices=["A", "B"]))
    assert len(at.error) == 2
