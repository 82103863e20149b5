"""Tables as they come: delimiters, encodings and decimal marks detected and recorded, rows
without a target set aside."""

from __future__ import annotations

import codecs

import numpy as np
import pandas as pd
import pytest

from dlpilot.core.errors import DataError
from dlpilot.data import load_source
from dlpilot.stages.define import define_problem

ROWS = [("Zürich", 1.5, 0), ("Genève", 2.25, 1), ("Köln", -3.0, 0), ("Málaga", 4.75, 1)] * 5


def _write(path, text, encoding="utf-8", bom=b""):
    path.write_bytes(bom + text.encode(encoding))
    return path


def _text(sep, decimal="."):
    lines = [sep.join(["city", "x", "y"])]
    for city, x, y in ROWS:
        lines.append(sep.join([city, str(x).replace(".", decimal), str(y)]))
    return "\n".join(lines) + "\n"


def _check(ds):
    assert list(ds.x.columns) == ["city", "x"]
    assert ds.x["city"].tolist()[:4] == ["Zürich", "Genève", "Köln", "Málaga"]
    np.testing.assert_allclose(ds.x["x"].to_numpy(dtype=float)[:4], [1.5, 2.25, -3.0, 4.75])
    assert ds.y.tolist()[:4] == [0, 1, 0, 1]


@pytest.mark.parametrize(
    ("sep", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "pipe")]
)
def test_the_delimiter_is_detected_and_recorded(tmp_path, sep, name):
    ds = load_source(_write(tmp_path / "d.csv", _text(sep)), target=["y"])
    _check(ds)
    what, why = ds.notes[0]
    assert f"{name}-separated" in what and "UTF-8" in what
    assert "3 columns" in why


def test_a_semicolon_file_with_decimal_commas_reads_numbers(tmp_path):
    ds = load_source(_write(tmp_path / "eu.csv", _text(";", decimal=",")), target=["y"])
    _check(ds)
    assert ds.x["x"].dtype.kind == "f"
    assert any("decimal comma" in what for what, _why in ds.notes)


@pytest.mark.parametrize(
    ("encoding", "bom", "said"),
    [
        ("utf-8", codecs.BOM_UTF8, "UTF-8 (with a byte-order mark)"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16"),
        ("latin-1", b"", "latin-1"),
    ],
)
def test_the_encoding_is_detected_and_recorded(tmp_path, encoding, bom, said):
    # Excel's "Unicode text" is UTF-16 with a byte-order mark and tabs.
    sep = "\t" if encoding.startswith("utf-16") else ","
    ds = load_source(_write(tmp_path / "e.csv", _text(sep), encoding, bom), target=["y"])
    _check(ds)
    assert said in ds.notes[0][0]
    assert ds.x.columns[0] == "city"  # no byte-order mark glued to the first name


def test_stage_0_records_how_the_file_was_read(tmp_path):
    ds = load_source(_write(tmp_path / "d.csv", _text(";")), target=["y"])
    whats = [d.what for d in define_problem(ds).decisions]
    assert whats[0].startswith("read 'd.csv' as semicolon-separated")


def test_an_ambiguous_delimiter_names_the_option_that_settles_it(tmp_path):
    text = "a,b;c,d\n1,2;3,4\n5,6;7,8\n"  # comma and semicolon both give even splits
    path = _write(tmp_path / "amb.csv", text)
    # ',' gives 3 fields per line, ';' gives 2: the widest even split wins...
    assert list(load_source(path, target=["d"]).x.columns) == ["a", "b;c"]
    # ...unless two delimiters split every line into the same number of columns.
    tie = _write(tmp_path / "tie.csv", "a,b;c\n1,2;3\n")
    with pytest.raises(DataError, match=r"--sep") as raised:
        load_source(tie, target=["c"])
    # Our own message, once: not wrapped again as a parse error.
    assert str(raised.value).startswith("Cannot tell the delimiter")
    assert ".." not in str(raised.value)
    ds = load_source(tie, target=["c"], sep=";")
    assert list(ds.x.columns) == ["a,b"] and "given with --sep" in ds.notes[0][1]


def test_sep_and_encoding_given_by_name(tmp_path):
    path = _write(tmp_path / "t.txt.csv", _text("\t"), "latin-1")
    ds = load_source(path, target=["y"], sep="tab", encoding="latin-1")
    _check(ds)
    with pytest.raises(DataError, match="not one character"):
        load_source(path, target=["y"], sep="::")
    with pytest.raises(DataError, match="Unknown encoding"):
        load_source(path, target=["y"], encoding="klingon")
    with pytest.raises(DataError, match=r"--encoding"):
        load_source(path, target=["y"], encoding="utf-8")  # the ü is not UTF-8 here


def test_rows_without_a_target_are_set_aside_with_their_row_numbers(tmp_path):
    # The classic cars data: 8 of 406 miles-per-gallon values missing (2%).
    gen = np.random.default_rng(0)
    frame = pd.DataFrame({"hp": gen.normal(100, 20, 406), "mpg": gen.normal(23, 5, 406)})
    gone = [10, 31, 35, 39, 126, 330, 336, 354]
    frame.loc[gone, "mpg"] = np.nan
    frame.to_csv(tmp_path / "cars.csv", index=False)
    ds = load_source(tmp_path / "cars.csv", target=["mpg"])
    assert ds.n_samples == 398 and not np.isnan(ds.y.astype(float)).any()
    what, why = ds.notes[-1]
    assert what.startswith("set aside 8 of 406 rows whose target 'mpg' is missing")
    assert "rows 11, 32, 36, 40, 127, …" in what  # 1-based, as a user counts data rows
    assert "lands in no split" in why


def test_a_target_missing_in_most_rows_is_an_error(tmp_path):
    frame = pd.DataFrame({"x": range(10), "y": [1.0, 2.0] + [np.nan] * 8})
    frame.to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(DataError, match=r"missing in 8 of 10 rows .*\(80%\).*--target"):
        load_source(tmp_path / "d.csv", target=["y"])
