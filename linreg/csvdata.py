"""Read a CSV file of numbers into a Table, refusing bad input with a clear DataError.

Only the standard csv module and numpy are used. The first row must name the columns.
Columns of numbers are kept; text columns are left out and listed in `Table.skipped`.
Rows are numbered as in the file and in a spreadsheet: the header is row 1.
"""

from __future__ import annotations

import csv
import io
import math
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from linreg.errors import DataError

MAX_BYTES = 5_000_000  # refuse larger inputs
MAX_ROWS = 100_000  # refuse more data rows
MAX_COLUMNS = 200
SNIFF_CHARS = 4096  # how much of the text the delimiter guess looks at
DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}


@dataclass(frozen=True)
class Table:
    """The numeric columns of a CSV file, and the names of the text columns left out."""

    columns: tuple[str, ...]  # numeric column names, in file order
    values: np.ndarray  # float64, shape (n_rows, len(columns)), all finite, read-only
    skipped: tuple[str, ...]  # names of the text columns that were left out


def read_csv(source: bytes | str | os.PathLike) -> Table:
    """Read a CSV from bytes (an uploaded file's content) or from a path on disk."""
    try:
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
        elif isinstance(source, (str, os.PathLike)):
            data = _read_file(source)
        else:
            raise DataError("Expected the content of a CSV file or the path to one.")
        if len(data) > MAX_BYTES:
            raise DataError(_too_big(len(data)))
        text = _decode(data)
        header, rows, lines = _parse(text, _delimiter(text))
        return _build(header, rows, lines)
    except MemoryError:
        raise DataError("The file is too large to load. Use a smaller file.") from None


def load_columns(
    table: Table, features: Sequence[str], targets: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Return X (n, len(features)) and Y (n, len(targets)) as float64 arrays."""
    features = _choice(table, features, "feature")
    targets = _choice(table, targets, "target")
    both = [name for name in features if name in targets]
    if both:
        raise DataError(f"{_list(both)} cannot be both a feature and a target.")
    index = {name: j for j, name in enumerate(table.columns)}
    values = np.asarray(table.values, dtype=np.float64)
    x = values[:, [index[name] for name in features]]  # fancy indexing copies
    y = values[:, [index[name] for name in targets]]
    return x, y


def _choice(table: Table, names: Sequence[str], role: str) -> list[str]:
    """Check one list of chosen column names against the table."""
    try:
        names = [names] if isinstance(names, str) else list(names)
    except TypeError:
        raise DataError(f"The {role} columns must be a list of column names.") from None
    if not names:
        raise DataError(f"Choose at least one {role} column.")
    for name in names:
        if not isinstance(name, str) or name not in table.columns:
            raise DataError(
                f"There is no column {_show(str(name), 40)} to use as a {role}. "
                f"Available columns: {_list(table.columns, 20)}."
            )
    repeated = _repeated(names)
    if repeated:
        raise DataError(f"{_list(repeated)} is chosen more than once as a {role}.")
    return names


def _read_file(source: str | os.PathLike) -> bytes:
    """Return the bytes of the file at a path, refusing missing, odd or huge files."""
    try:
        path = os.fspath(source)
        shown = _show(os.fsdecode(path), 60)
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise DataError(f"There is no file {shown}; check the name.") from None
    except (OSError, TypeError, ValueError) as err:
        reason = getattr(err, "strerror", None) or "not a valid path"
        raise DataError(f"{_show(str(source), 60)} cannot be opened: {reason}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise DataError(f"{shown} is a folder; choose a CSV file inside it.")
    if not stat.S_ISREG(info.st_mode):
        raise DataError(f"{shown} is not an ordinary file; choose a CSV file.")
    if info.st_size > MAX_BYTES:  # checked before reading anything
        raise DataError(_too_big(info.st_size))
    try:
        with open(path, "rb") as file:
            return file.read(MAX_BYTES + 1)
    except OSError as err:
        raise DataError(
            f"The file {shown} could not be read ({err.strerror or 'unknown error'}). "
            "Check that you are allowed to open it."
        ) from None


def _decode(data: bytes) -> str:
    """Decode UTF-8 (dropping a BOM), refusing other encodings and empty files."""
    try:
        text = data.decode("utf-8-sig")
        if "\x00" in text:  # UTF-16 text without a BOM decodes with NUL characters
            raise UnicodeError
    except UnicodeError:
        raise DataError(
            "The file is not UTF-8 text. In your spreadsheet, save it as 'CSV UTF-8' and try again."
        ) from None
    if not text.strip():
        raise DataError("The file is empty: it needs a header row and rows of numbers.")
    return text


def _delimiter(text: str) -> str:
    """Guess a comma, semicolon or tab from the start of the text; a comma when unsure."""
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # whole lines only
    try:
        found = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except Exception:  # noqa: BLE001 - the sniffer only guesses; if it fails, use a comma
        return ","
    header = next((line for line in sample.splitlines() if line.strip()), "")
    return found if found in DELIMITERS and found in header else ","


def _parse(text: str, delimiter: str) -> tuple[list[str], list[list[str]], list[int]]:
    """Split the text into column names, data rows and each data row's row number."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    last = 0  # the file row where the previous record ended
    try:
        for cells in reader:
            start, last = last + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # blank line
            if header is None:
                header = _header(cells, start)
            elif len(cells) != len(header):
                raise DataError(
                    f"Row {start} has {len(cells)} values, but the header has "
                    f"{len(header)} columns. Every row needs one value per column: "
                    f"check for missing or extra {DELIMITERS[delimiter]}."
                )
            elif len(rows) == MAX_ROWS:
                raise DataError(f"The file has more than {MAX_ROWS:,} data rows.")
            else:
                rows.append(cells)
                lines.append(start)
    except csv.Error as err:
        raise DataError(
            f"The file is not valid CSV near row {last + 1} ({err}). Look for a quote "
            '(") that is opened but never closed, or a very long cell.'
        ) from None
    if header is None:
        raise DataError("The file is empty: every row is blank.")
    return header, rows, lines


def _header(cells: list[str], line: int) -> list[str]:
    """Check the header row: a unique, non-empty name for every column."""
    names = [cell.strip() for cell in cells]
    if len(names) > MAX_COLUMNS:
        raise DataError(f"The file has {len(names)} columns; the limit is {MAX_COLUMNS}.")
    if "" in names:
        raise DataError(
            f"Column {names.index('') + 1} has no name in the header (row {line}). "
            "The first row must give every column a name (or remove the empty column)."
        )
    if all(_number(name) is not None for name in names):
        raise DataError(
            f"The first row must hold the column names, but it holds only numbers "
            f"({_list(names)}). Add a header row with a name for each column."
        )
    repeated = _repeated(names)
    if repeated:
        raise DataError(f"Duplicate column names: {_list(repeated)}. Rename them.")
    return names


def _build(header: list[str], rows: list[list[str]], lines: list[int]) -> Table:
    """Keep the numeric columns as a float64 array and list the text columns."""
    if len(rows) < 2:
        raise DataError(f"The file has {len(rows)} data row(s); at least 2 are needed.")
    numeric = [j for j in range(len(header)) if _is_numeric([row[j] for row in rows])]
    if not numeric:
        raise DataError(
            f"No column holds numbers (text columns: {_list(header)}). "
            "The data needs at least one column of numbers."
        )
    cells = [
        [_cell(row[j], line, header[j]) for j in numeric]
        for row, line in zip(rows, lines, strict=True)
    ]
    values = np.array(cells, dtype=np.float64)
    values.flags.writeable = False
    skipped = tuple(name for j, name in enumerate(header) if j not in numeric)
    return Table(tuple(header[j] for j in numeric), values, skipped)


def _is_numeric(cells: list[str]) -> bool:
    """True unless most non-empty cells of the column are text (a tie counts as numbers)."""
    texts = [cell.strip() for cell in cells if cell.strip()]
    numbers = sum(_number(text) is not None or _comma_number(text) for text in texts)
    return numbers > 0 and numbers >= len(texts) - numbers


def _cell(cell: str, line: int, name: str) -> float:
    """Parse one cell of a numeric column, or explain what is wrong with it."""
    text = cell.strip()
    where = f"Row {line}, column {_show(name, 40)}"
    if not text:
        raise DataError(
            f"{where} is empty. A column of numbers needs a number in every cell: "
            "fill it in or delete the row."
        )
    value = _number(text)
    if value is None:
        hint = "Fix the cell or delete the row."
        if _comma_number(text):
            hint = "Write decimals with a point (2.5, not 2,5) and no thousands separators."
        raise DataError(f"{where} holds {_show(text)}, which is not a number. {hint}")
    if not math.isfinite(value):
        raise DataError(
            f"{where} holds {_show(text)}, which is NaN or infinite: missing or infinite "
            "values are not allowed. Replace it with a number or delete the row."
        )
    return value


def _number(text: str) -> float | None:
    """The float value of a text (NaN and inf included), or None when it is not a number."""
    try:
        return float(text)
    except (ValueError, OverflowError):
        return None


def _comma_number(text: str) -> bool:
    """True when the text is a number written with a decimal comma or thousands commas."""
    return "," in text and _number(text.replace(",", "")) is not None


def _repeated(names: list[str]) -> list[str]:
    """Names that occur more than once, in order of first appearance."""
    return sorted({name for name in names if names.count(name) > 1}, key=names.index)


def _show(text: str, limit: int = 20) -> str:
    """Quote a text for a message: shortened, with control characters escaped."""
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


def _list(names: Sequence[str], limit: int = 10) -> str:
    """Quote up to `limit` names, separated by commas."""
    shown = ", ".join(_show(name, 40) for name in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _too_big(size: int) -> str:
    """The message for an input over MAX_BYTES."""
    return (
        f"The file is too large ({size:,} bytes; the limit is {MAX_BYTES:,} bytes). "
        "Use a smaller file or fewer rows."
    )
