"""Every bad input: exit code 2, one line naming the problem and the fix, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.fixture
def csv(tmp_path):
    def write(text: str, name: str = "d.csv"):
        path = tmp_path / name
        path.write_text(text)
        return str(path)

    return write


def test_missing_file(cli, tmp_path):
    assert_one_line_error(
        cli("inspect", str(tmp_path / "nope.csv"), "-t", "y"), "not found", "nope.csv"
    )


def test_empty_file(cli, csv):
    assert_one_line_error(cli("inspect", csv(""), "-t", "y"), "is empty")


def test_header_without_rows(cli, csv):
    assert_one_line_error(cli("inspect", csv("a,b,y\n"), "-t", "y"), "no data rows")


def test_unparseable_csv(cli, csv):
    assert_one_line_error(
        cli("inspect", csv("a,b\n1,2\n3,4,5,6\n"), "-t", "b"), "Cannot parse", "as CSV", "delimiter"
    )


def test_binary_garbage_csv(cli, tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes(bytes(range(256)) * 8)
    assert_one_line_error(cli("inspect", str(path), "-t", "y"), "Cannot parse")


def test_misspelled_target_suggests_close_names(cli, csv):
    assert_one_line_error(
        cli("inspect", csv("price,area\n1,2\n3,4\n"), "-t", "pric"),
        "Target column 'pric' not found",
        "Did you mean 'price'?",
        "Columns: price, area",
    )


def test_no_target_given(cli, csv):
    assert_one_line_error(cli("inspect", csv("a,b\n1,2\n")), "No target column given", "--target")


def test_one_class_target(cli, csv):
    assert_one_line_error(
        cli("inspect", csv("x,y\n1,a\n2,a\n3,a\n"), "-t", "y"), "one value", "nothing to predict"
    )


def test_all_missing_target(cli, csv):
    assert_one_line_error(cli("inspect", csv("x,y\n1,\n2,\n3,\n"), "-t", "y"), "all values missing")


def test_a_target_missing_in_most_rows(cli, csv):
    # A few missing targets are set aside (tests/data/test_table_reading.py); most is an error.
    assert_one_line_error(
        cli("inspect", csv("x,y\n1,0.5\n2,\n3,\n4,\n"), "-t", "y"),
        "missing in 3 of 4 rows",
        "--target",
    )


def test_an_undecidable_delimiter_names_sep(cli, csv):
    assert_one_line_error(cli("inspect", csv("a,b;c\n1,2;3\n"), "-t", "c"), "--sep")


def test_a_few_missing_targets_are_set_aside_and_said(cli, csv):
    result = cli("inspect", csv("x,y\n1,0.5\n2,\n3,1.5\n4,2.5\n"), "-t", "y", "--json")
    assert result.exit_code == 0, result.stderr
    assert "set aside 1 of 4 rows whose target 'y' is missing (rows 2)" in result.stdout


def test_inf_in_numeric_target(cli, csv):
    assert_one_line_error(
        cli("inspect", csv("x,y\n1,0.5\n2,inf\n3,1.5\n"), "-t", "y"), "infinite values", "rows 2"
    )


def test_mixed_types_in_a_feature(cli, csv):
    rows = "\n".join(f"{i},{i % 2}" for i in range(30))
    assert_one_line_error(
        cli("inspect", csv(f"x,y\n{rows}\nabc,1\n"), "-t", "y"),
        "Column 'x' mixes numbers and text",
        "'abc'",
    )


def test_image_folder_without_images(cli, tmp_path):
    (tmp_path / "imgs" / "cat").mkdir(parents=True)
    (tmp_path / "imgs" / "cat" / "notes.txt").write_text("hi")
    assert_one_line_error(cli("inspect", str(tmp_path / "imgs")), "No images found")


def test_corrupt_image_is_named(cli, tmp_path, make_images):
    make_images(tmp_path / "imgs", ["a", "b"], 3)
    (tmp_path / "imgs" / "a" / "broken.png").write_bytes(b"\x89PNG not really")
    assert_one_line_error(cli("inspect", str(tmp_path / "imgs")), "broken.png", "Corrupt")


def test_unknown_builtin_lists_known_ones(cli):
    assert_one_line_error(
        cli("inspect", "fashion-mnst"),
        "Unknown built-in dataset",
        "Did you mean 'fashion-mnist'?",
        "digits, breast-cancer",
    )


def test_fashion_files_absent_say_how_to_install(cli, tmp_path):
    assert_one_line_error(
        cli("inspect", "fashion-mnist", "--data-dir", str(tmp_path)),
        "apt-get install dataset-fashion-mnist",
        "--data-dir",
    )


def test_unsupported_file_type(cli, tmp_path):
    (tmp_path / "d.xlsx").write_text("x")
    assert_one_line_error(cli("inspect", str(tmp_path / "d.xlsx")), "Unsupported file type")


def test_debug_shows_the_traceback(tmp_path):
    env = {**os.environ, "DLPILOT_DEBUG": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "dlpilot.cli", "inspect", str(tmp_path / "x.csv")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode != 0 and "Traceback" in proc.stderr


def test_real_process_exit_code_and_one_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "dlpilot.cli", "inspect", str(tmp_path / "x.csv")],
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "DLPILOT_DEBUG"},
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "not found" in proc.stderr


cells = st.one_of(
    st.integers(-5, 5).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda v: f"{v:.3g}"),
    st.sampled_from(["", "a", "b", "yes", "no", "NaN", "inf", "x y z w v", '"q,r"', "1e400"]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    n_cols=st.integers(1, 4),
    rows=st.lists(st.lists(cells, min_size=4, max_size=4), min_size=0, max_size=12),
    target_col=st.integers(0, 4),
)
def test_random_small_csvs_succeed_or_fail_cleanly(cli, tmp_path, n_cols, rows, target_col):
    header = [f"c{i}" for i in range(n_cols)]
    lines = [",".join(header)] + [",".join(r[:n_cols]) for r in rows]
    path = tmp_path / "random.csv"
    path.write_text("\n".join(lines) + "\n")
    result = cli("inspect", str(path), "--target", f"c{target_col}", "--json")
    assert result.exit_code in (0, 2), (result.exit_code, result.stderr, lines)
    if result.exit_code == 2:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith("Error: ")


def test_random_arrays_in_npz_succeed_or_fail_cleanly(cli, tmp_path):
    rng = np.random.default_rng(0)
    for i, shape in enumerate([(10, 3), (10, 4, 4), (10, 2, 30), (10, 5, 5, 3), (10,)]):
        path = tmp_path / f"a{i}.npz"
        np.savez(path, x=rng.random(shape), y=rng.integers(0, 2, 10))
        result = cli("inspect", str(path), "--json")
        assert result.exit_code in (0, 2)
        if result.exit_code == 2:
            assert len(result.stderr.strip().splitlines()) == 1
    frame = pd.DataFrame({"a": [1, 2]})
    frame.to_csv(tmp_path / "one.csv", index=False)
    assert_one_line_error(
        cli("inspect", str(tmp_path / "one.csv"), "-t", "a"), "no feature columns"
    )
