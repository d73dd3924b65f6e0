"""Tests for linreg.csvdata: good files, one test per refusal rule, and fuzzing."""

import csv
import io
import string

import numpy as np
import pytest
from cases import CROP as CROP_VALUES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linreg import csvdata
from linreg.csvdata import MAX_COLUMNS, MAX_ROWS, Table, load_columns, read_csv
from linreg.errors import DataError

CROP = (
    "temperature,rainfall,humidity,apples,oranges\n"
    "73,67,43,56,70\n"
    "91,88,64,81,101\n"
    "87,134,58,119,133\n"
    "102,43,37,22,37\n"
    "69,96,70,103,119\n"
)
CROP_COLUMNS = ("temperature", "rainfall", "humidity", "apples", "oranges")


def refused(source) -> str:
    """Assert that read_csv raises DataError and return its message."""
    with pytest.raises(DataError) as info:
        read_csv(source)
    message = str(info.value)
    assert message.strip()
    return message


def assert_crop(table: Table) -> None:
    """Assert that a table holds exactly the crop-yield data."""
    assert table.columns == CROP_COLUMNS
    assert table.skipped == ()
    assert table.values.dtype == np.float64
    np.testing.assert_array_equal(table.values, CROP_VALUES)


# ---------------------------------------------------------------- good files


def test_crop_yield_bytes():
    assert_crop(read_csv(CROP.encode()))


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab(delimiter):
    assert_crop(read_csv(CROP.replace(",", delimiter).encode()))


def test_decimals_with_semicolons():
    table = read_csv(b"x;y\n1.5;2.25\n-3.5;4e2\n")
    np.testing.assert_array_equal(table.values, [[1.5, 2.25], [-3.5, 400.0]])


def test_bom_is_stripped():
    assert_crop(read_csv(b"\xef\xbb\xbf" + CROP.encode()))


def test_crlf_blank_lines_and_spaces():
    text = "a , b\r\n\r\n 7 ,1e3\r\n-2.5,  +4  \r\n\r\n,\r\n"
    table = read_csv(text.encode())
    assert table.columns == ("a", "b")
    np.testing.assert_array_equal(table.values, [[7, 1000], [-2.5, 4]])


def test_text_column_is_skipped():
    text = 'region,rain,yield\nnorth,67,56\n"south, coast",88,81\neast,134,119\n'
    table = read_csv(text.encode())
    assert table.columns == ("rain", "yield")
    assert table.skipped == ("region",)
    np.testing.assert_array_equal(table.values, [[67, 56], [88, 81], [134, 119]])


def test_values_are_read_only():
    table = read_csv(CROP.encode())
    with pytest.raises(ValueError):
        table.values[0, 0] = 1.0


def test_path_equals_bytes(tmp_path):
    path = tmp_path / "crop.csv"
    path.write_bytes(CROP.encode())
    from_bytes = read_csv(CROP.encode())
    for source in (path, str(path)):
        table = read_csv(source)
        assert table.columns == from_bytes.columns
        assert table.skipped == from_bytes.skipped
        np.testing.assert_array_equal(table.values, from_bytes.values)


def test_load_columns():
    table = read_csv(CROP.encode())
    x, y = load_columns(table, ["temperature", "rainfall", "humidity"], ["apples", "oranges"])
    assert x.dtype == y.dtype == np.float64
    np.testing.assert_array_equal(x, CROP_VALUES[:, :3])
    np.testing.assert_array_equal(y, CROP_VALUES[:, 3:])
    x, y = load_columns(table, ("humidity",), ("apples",))
    assert x.shape == y.shape == (5, 1)
    np.testing.assert_array_equal(x[:, 0], CROP_VALUES[:, 2])
    x[0, 0] = -1  # a copy: the table is untouched
    assert table.values[0, 2] == 43


# ---------------------------------------------------------------- refusals


def test_missing_path(tmp_path):
    assert "no file" in refused(tmp_path / "nope.csv")
    assert "nope.csv" in refused(str(tmp_path / "nope.csv"))


def test_directory(tmp_path):
    assert "folder" in refused(tmp_path)


def test_unreadable_path(tmp_path, monkeypatch):
    path = tmp_path / "locked.csv"
    path.write_bytes(CROP.encode())

    def locked(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(csvdata, "open", locked, raising=False)
    message = refused(path)
    assert "could not be read" in message and "Permission denied" in message


def test_too_large_bytes():
    message = refused(b"a" * (csvdata.MAX_BYTES + 1))
    assert "too large" in message and "5,000,000" in message


def test_too_large_path_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_bytes(CROP.encode())

    def never(*args, **kwargs):
        raise AssertionError("the file must not be opened")

    monkeypatch.setattr(csvdata, "MAX_BYTES", 50)
    monkeypatch.setattr(csvdata, "open", never, raising=False)
    assert "too large" in refused(path)


def test_not_utf8():
    message = refused(CROP.replace("temperature", "température").encode("latin-1"))
    assert "not UTF-8" in message and "CSV UTF-8" in message


def test_utf16_is_not_utf8():
    assert "not UTF-8" in refused(CROP.encode("utf-16"))


def test_nul_characters():
    assert "not UTF-8" in refused(b"a,b\n1,\x002\n3,4\n")


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf"])
def test_empty(content):
    assert "empty" in refused(content)


def test_only_delimiters_is_empty():
    assert "empty" in refused(b",,\n , ,\n")


def test_empty_column_name():
    message = refused(b"a,,c\n1,2,3\n4,5,6\n")
    assert "Column 2" in message and "no name" in message


def test_duplicate_column_names():
    message = refused(b"a, b ,c,b,a\n1,2,3,4,5\n6,7,8,9,10\n")
    assert "Duplicate" in message and "'a'" in message and "'b'" in message


def test_names_compared_case_sensitively():
    assert read_csv(b"a,A\n1,2\n3,4\n").columns == ("a", "A")


def test_header_of_numbers():
    assert "column names" in refused(b"1,2\n3,4\n5,6\n")


def test_ragged_row():
    message = refused(b"a,b,c\n1,2,3\n\n4,5\n6,7,8\n")
    assert "Row 4" in message and "2 values" in message and "3 columns" in message


def test_too_few_rows():
    assert "at least 2" in refused(b"a,b\n1,2\n")
    assert "0 data row" in refused(b"a,b\n")


def test_too_many_rows():
    message = refused(b"a,b\n" + b"1,2\n" * (MAX_ROWS + 1))
    assert "100,000" in message


def test_too_many_columns():
    header = ",".join(f"c{i}" for i in range(MAX_COLUMNS + 1))
    message = refused(f"{header}\n".encode() + b"1\n" * 2)
    assert f"{MAX_COLUMNS + 1} columns" in message and f"limit is {MAX_COLUMNS}" in message


def test_text_in_numeric_column():
    message = refused(b"x,y\n1,2\n3,4\n5,oops\n7,8\n")
    assert "Row 4" in message and "'y'" in message and "'oops'" in message


def test_empty_cell_in_numeric_column():
    message = refused(b"x,y\n1,2\n3, \n5,6\n")
    assert "Row 3" in message and "'y'" in message and "empty" in message


def test_long_cell_is_shortened_and_escaped():
    cell = "\x1b[31m" + "z" * 100
    message = refused(f'x,y\n1,2\n3,4\n5,"{cell}"\n'.encode())
    assert "\x1b" not in message and "\\x1b" in message
    assert "z" * 30 not in message and "…" in message


def test_decimal_comma_hint():
    message = refused(b"x;y\n1,5;2\n3,5;4\n")
    assert "Row 2" in message and "'1,5'" in message and "decimals with a point" in message


@pytest.mark.parametrize("cell", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-1e400"])
def test_nan_and_inf(cell):
    message = refused(f"x,y\n1,2\n3,{cell}\n5,6\n".encode())
    assert "Row 3" in message and "'y'" in message and "infinite" in message


def test_no_numeric_columns():
    message = refused(b"name,town\nann,rome\nbob,oslo\n")
    assert "No column holds numbers" in message and "'name'" in message


def test_unclosed_quote():
    message = refused(b'a,b\n1,2\n3,"4\n5,6\n')
    assert "quote" in message and "row 3" in message


def test_half_text_column_is_an_error():
    message = refused(b"x,y\n1,2\n3,oops\n")
    assert "Row 3" in message and "'oops'" in message


def test_mostly_text_column_is_skipped():
    table = read_csv(b"name,y\nann,1\n007,2\nbob,3\n")
    assert table.columns == ("y",) and table.skipped == ("name",)


def test_not_a_source():
    assert "path" in refused(12345)


@pytest.mark.parametrize(
    ("features", "targets", "expected"),
    [
        ([], ["apples"], "at least one feature"),
        (["rainfall"], [], "at least one target"),
        (["rain"], ["apples"], "'rain'"),
        (["rainfall"], ["apples", "pears"], "'pears'"),
        (["rainfall", "apples"], ["apples"], "both a feature and a target"),
        (["rainfall", "rainfall"], ["apples"], "more than once"),
        (["rainfall"], ["apples", "apples"], "more than once"),
        ([3], ["apples"], "no column '3'"),
        (None, ["apples"], "list of column names"),
        ("apples", "apples", "both a feature and a target"),
    ],
)
def test_load_columns_refusals(features, targets, expected):
    table = read_csv(CROP.encode())
    with pytest.raises(DataError) as info:
        load_columns(table, features, targets)
    assert expected in str(info.value)


def test_unknown_column_lists_available():
    table = read_csv(CROP.encode())
    with pytest.raises(DataError) as info:
        load_columns(table, ["rain"], ["apples"])
    assert all(repr(name) in str(info.value) for name in CROP_COLUMNS)


# ---------------------------------------------------------------- fuzzing


def check(source) -> Table | None:
    """read_csv must return a valid Table or raise DataError with a message."""
    try:
        table = read_csv(source)
    except DataError as err:
        assert str(err).strip()
        return None
    values = table.values
    assert isinstance(values, np.ndarray) and values.dtype == np.float64
    assert values.ndim == 2 and values.shape[1] == len(table.columns) >= 1
    assert values.shape[0] >= 2 and np.isfinite(values).all()
    names = table.columns + table.skipped
    assert len(set(names)) == len(names) and all(name and name == name.strip() for name in names)
    return table


def fuzz(examples: int) -> settings:
    """Hypothesis settings for the fuzz tests: no deadline, a fixed number of examples."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


CELLS = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(
        [
            "",
            " ",
            "nan",
            "NaN",
            "inf",
            "-inf",
            "Infinity",
            "1e999",
            "-1e400",
            "9" * 400,
            "1e-999",
            " 7 ",
            "1,5",
            "abc",
            "x y",
            '"',
            '""',
            "'",
            "\n",
            "\r\n",
            "a\nb",
            "\t",
            ";",
            ",",
            "\x1b",
            "\u202e",
            "é",
            "1_000",
            "0x10",
            "--1",
            "1e",
        ]
    ),
    st.text(st.characters(exclude_characters="\x00"), max_size=8),
)


@st.composite
def csv_texts(draw) -> bytes:
    """Random grids of mixed cells, possibly ragged, duplicated, quoted or mis-encoded."""
    n_cols = draw(st.integers(1, 6))
    names = st.sampled_from([*"abcdefgh", " a", "", "1", "nan"])
    names = draw(st.sampled_from([names, names, names, CELLS]))
    header = draw(st.lists(names, min_size=n_cols, max_size=n_cols))
    numeric = st.integers(-(10**6), 10**6).map(str) | st.floats().map(repr)
    cells = draw(st.sampled_from([numeric, CELLS]))  # some grids of numbers only
    rows = [header]
    for _ in range(draw(st.integers(0, 8))):
        width = n_cols + draw(st.sampled_from([0] * 10 + [-1, 1]))
        rows.append(draw(st.lists(cells, min_size=max(width, 0), max_size=max(width, 0))))
    out = io.StringIO()
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    writer = csv.writer(
        out,
        delimiter=draw(st.sampled_from(",;\t")),
        quoting=quoting,
        lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])),
    )
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.sampled_from([False] * 9 + [True])):  # splice in random bytes
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data


@fuzz(300)
@given(st.binary(max_size=600))
def test_fuzz_random_bytes(data):
    check(data)


@fuzz(300)
@given(st.text(alphabet=",;\t\n\r \"'0123456789.eE-+nainfxyz\x00é", max_size=300))
def test_fuzz_random_text(text):
    check(text.encode())


@fuzz(500)
@given(csv_texts())
def test_fuzz_csv_grids(data):
    check(data)


@fuzz(150)
@given(
    st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=2, max_size=60),
    st.integers(1, 4),
    st.sampled_from(",;\t"),
)
def test_fuzz_round_trip(numbers, n_cols, delimiter):
    n_rows = max(len(numbers) // n_cols, 2)
    grid = np.resize(np.array(numbers), (n_rows, n_cols))
    names = [f"col_{i}" for i in range(n_cols)]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(names)
    writer.writerows([[repr(float(v)) for v in row] for row in grid])
    table = check(out.getvalue().encode())
    assert table is not None and table.columns == tuple(names)
    np.testing.assert_array_equal(table.values, grid)


NAMES = st.lists(st.sampled_from(list(CROP_COLUMNS) + ["rain", "", "Apples"]), max_size=4)


@fuzz(150)
@given(NAMES, NAMES | st.text(alphabet=string.ascii_letters, max_size=8))
def test_fuzz_load_columns(features, targets):
    table = read_csv(CROP.encode())
    try:
        x, y = load_columns(table, features, targets)
    except DataError as err:
        assert str(err).strip()
        return
    assert x.dtype == y.dtype == np.float64
    assert x.shape == (5, len(features)) and y.shape[0] == 5
    assert not set(features) & ({targets} if isinstance(targets, str) else set(targets))
