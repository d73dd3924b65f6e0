"""The settings table: defaults, validation, URL round trips, and fuzzed bad input."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from linreg import experiment
from linreg.data import seed000
from linreg.errors import SettingsError
from linreg.settings import BY_URL, DEFAULTS, SPECS, Config, coerce, from_query, kind, to_query
from linreg.trainer import TrainSpec

NAMES = sorted(SPECS)
NUMERIC = [n for n in NAMES if kind(n) in (int, float)]
CHOICES = [n for n in NAMES if kind(n) is str]
BOOLS = [n for n in NAMES if kind(n) is bool]


# ---- defaults ---------------------------------------------------------------------------------
def test_defaults_are_seed000s_setup():
    config = Config()
    spec = TrainSpec.from_config(config)
    assert (spec.loss, spec.optimizer, spec.learning_rate) == ("mae", "sgd", 0.01)
    assert (spec.batch_size, spec.dtype, spec.bias) == (0, "float32", True)
    assert (config.true_weight, config.true_bias, config.noise) == (0.8, 0.2, 0.0)
    assert (config.n_points, config.x_min, config.x_max) == (100, 0.0, 2.0)
    assert (config.train_fraction, config.split, config.outlier_fraction) == (0.8, "ordered", 0.0)
    # the page's data is seed 000's (whose x is a float32 arange) up to float32 rounding
    data, tutorial = experiment.dataset(config), seed000()
    for a, b in [
        (data.x_train, tutorial.x_train),
        (data.y_train, tutorial.y_train),
        (data.x_test, tutorial.x_test),
        (data.y_test, tutorial.y_test),
    ]:
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-6)


def test_default_run_logs_seed000s_losses():
    """The page's own run from the defaults prints the tutorial's losses (epoch 100 to 300:
    train loss before that epoch's step, test loss after it)."""
    stepper = experiment.new_stepper(Config())
    np.testing.assert_allclose(stepper.params, [-0.4936, 0.3721])
    stepper.step(301)
    h = stepper.history
    logged = {
        100: (0.2715910077095032, 0.6603046655654907),
        200: (0.17166011035442352, 0.3427932560443878),
        300: (0.08071128278970718, 0.15863864123821259),
    }
    for epoch, (train, test) in logged.items():
        assert h.train_loss[epoch] == pytest.approx(train, abs=2e-3)
        assert h.test_loss[epoch + 1] == pytest.approx(test, abs=2e-3)


@pytest.mark.parametrize("name", NAMES)
def test_every_default_is_valid(name):
    spec, default = SPECS[name], getattr(DEFAULTS, name)
    assert type(default) is kind(name)
    assert spec.label and spec.url
    if spec.choices:
        assert default in spec.choices
    elif kind(name) in (int, float):
        assert spec.low <= default <= spec.high
        assert spec.low < spec.high
        if spec.log:
            assert spec.low > 0
    assert coerce(name, default) == default


def test_url_keys_and_labels_are_unique():
    assert len(BY_URL) == len(SPECS)
    assert len({s.label for s in SPECS.values()}) == len(SPECS)


def test_trainspec_defaults_are_the_tables():
    config, spec = Config(), TrainSpec()
    for f in dataclasses.fields(TrainSpec):
        if f.name in SPECS:
            assert getattr(spec, f.name) == getattr(config, f.name), f.name


# ---- coerce -----------------------------------------------------------------------------------
def rejects(name, value):
    with pytest.raises(SettingsError) as info:
        coerce(name, value)
    assert SPECS[name].label in str(info.value)
    return str(info.value)


@pytest.mark.parametrize("name", NUMERIC)
def test_numbers_out_of_range_or_not_finite_are_refused(name):
    spec = SPECS[name]
    span = spec.high - spec.low
    for bad in (
        spec.high + 0.01 * span,
        spec.low - 0.01 * span,
        spec.high + 1,
        spec.low - 1,
        math.nan,
        math.inf,
        -math.inf,
        "nan",
        "inf",
        "-inf",
        "1e400",
        "-1e400",
        "",
        "  ",
        "abc",
        "1,5",
        None,
        [1],
        {"a": 1},
        True,
        False,
        "0x10",
        complex(1, 0),
    ):
        rejects(name, bad)
    # the bounds themselves are allowed, as numbers or as URL text
    for edge in (spec.low, spec.high):
        assert coerce(name, edge) == edge
        assert coerce(name, repr(float(edge))) == edge
        assert type(coerce(name, str(edge))) is kind(name)


@pytest.mark.parametrize("name", [n for n in NUMERIC if kind(n) is int])
def test_whole_numbers_only_for_integer_settings(name):
    spec = SPECS[name]
    rejects(name, spec.low + 0.5)
    rejects(name, f"{spec.low + 0.5}")
    assert coerce(name, float(spec.low + 1)) == spec.low + 1
    assert coerce(name, f"{spec.low + 1}.0") == spec.low + 1


@pytest.mark.parametrize("name", CHOICES)
def test_choices_only(name):
    spec = SPECS[name]
    for bad in ("", "nope", spec.choices[0] + "x", 1, None, ["mse"], "m\u0073e\u200b"):
        rejects(name, bad)
    for choice in spec.choices:
        assert coerce(name, f"  {choice.upper()} ") == choice


@pytest.mark.parametrize("name", BOOLS)
def test_booleans(name):
    for text, want in [
        ("true", True),
        ("FALSE", False),
        ("1", True),
        ("0", False),
        (" yes ", True),
        ("off", False),
        (True, True),
        (False, False),
    ]:
        assert coerce(name, text) is want
    for bad in ("", "maybe", "2", None, "truee", 0.5):
        rejects(name, bad)


def test_unknown_setting():
    with pytest.raises(SettingsError, match="no setting"):
        coerce("warp_speed", 1)


def test_config_validates_on_construction():
    with pytest.raises(SettingsError, match="Learning rate"):
        Config(learning_rate=0.0)
    with pytest.raises(SettingsError, match="x from"):
        Config(x_min=3.0, x_max=1.0)
    with pytest.raises(SettingsError, match="Batch size"):
        DEFAULTS.replace(batch_size=True)
    assert Config(n_points="50").n_points == 50


# ---- URL round trip ---------------------------------------------------------------------------
def valid_value(name):
    spec = SPECS[name]
    if kind(name) is bool:
        return st.booleans()
    if kind(name) is str:
        return st.sampled_from(spec.choices)
    if kind(name) is int:
        return st.integers(int(spec.low), int(spec.high))
    return st.floats(spec.low, spec.high, allow_nan=False, allow_infinity=False)


valid_configs = st.fixed_dictionaries({name: valid_value(name) for name in NAMES})


@settings(deadline=None, max_examples=300)
@given(valid_configs)
def test_query_round_trip(values):
    assume(values["x_min"] < values["x_max"])
    config = Config(**values)
    query = to_query(config)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in query.items())
    back, notes = from_query(query)
    assert notes == []
    assert back == config


def test_defaults_need_no_query():
    assert to_query(DEFAULTS) == {}
    assert from_query({}) == (DEFAULTS, [])


def test_query_notes_what_it_skips():
    config, notes = from_query({"lr": "0.1", "loss": "l7", "zz": "1", "x0": "5", "x1": "1"})
    assert config.learning_rate == 0.1 and config.loss == DEFAULTS.loss
    assert (config.x_min, config.x_max) == (DEFAULTS.x_min, DEFAULTS.x_max)
    assert len(notes) == 3
    assert any("Loss" in n for n in notes) and any("zz" in n for n in notes)


# ---- fuzzing ----------------------------------------------------------------------------------
junk_text = st.text(st.characters(codec="utf-8"), max_size=40)
junk_numbers = st.one_of(
    st.integers(-(10**300), 10**300),
    st.floats(),
    st.just(1e308),
    st.just(-1e308),
    st.sampled_from(
        [
            "nan",
            "NaN",
            "inf",
            "-Infinity",
            "1e400",
            "-1e400",
            "1e-400",
            "",
            " ",
            "0x1p3",
            "1_000",
            "١٢",
            "\x00",
            "\n1",
            "1\x7f",
            "9" * 400,
            "-0",
            "true",
            "None",
            "[]",
        ]
    ),
)
junk_values = st.recursive(
    st.one_of(junk_text, junk_numbers, st.booleans(), st.none(), st.binary(max_size=10)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(junk_text, inner, max_size=2),
    max_leaves=3,
)
junk_keys = st.one_of(st.sampled_from(sorted(BY_URL)), junk_text)


def is_valid(config) -> bool:
    rebuilt = Config(**{f.name: getattr(config, f.name) for f in dataclasses.fields(Config)})
    return rebuilt == config


@settings(deadline=None, max_examples=1000)
@given(st.dictionaries(junk_keys, junk_values, max_size=6))
def test_malformed_queries_never_raise(query):
    config, notes = from_query(query)
    assert isinstance(config, Config) and is_valid(config)
    assert isinstance(notes, list) and all(isinstance(n, str) for n in notes)
    unknown = [k for k in query if k not in BY_URL]
    assert len(notes) >= len(unknown)
    for note in notes:  # notes are meant for the screen: printable, bounded
        assert all(ch.isprintable() for ch in note)


@settings(deadline=None, max_examples=1000)
@given(st.one_of(st.sampled_from(NAMES), junk_text), junk_values)
def test_malformed_values_raise_only_settings_error(name, value):
    try:
        got = coerce(name, value)
    except SettingsError as err:
        assert str(err)
        return
    # accepted: then it is a valid value of the right type
    assert type(got) is kind(name)
    assert coerce(name, got) == got
    if name not in ("x_min", "x_max"):  # (those two must also keep x_min < x_max)
        assert getattr(DEFAULTS.replace(**{name: got}), name) == got


HUGE = 10**5000  # more digits than Python will turn into text by default


@pytest.mark.parametrize("name", ["n_points", "learning_rate", "shuffle", "loss"])
def test_a_huge_integer_is_a_settings_error(name):
    with pytest.raises(SettingsError):
        coerce(name, HUGE)


@pytest.mark.parametrize("query", [{"n": HUGE}, {HUGE: "1"}])
def test_a_huge_integer_in_a_query_never_raises(query):
    config, notes = from_query(query)
    assert config == DEFAULTS and len(notes) == 1
