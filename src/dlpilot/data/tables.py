"""CSV and Parquet sources: read with pandas/pyarrow, type every column."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from dlpilot.core.enums import ColumnKind
from dlpilot.core.errors import DataError, DlpilotError, SourceNotFoundError
from dlpilot.core.messages import Text, msg
from dlpilot.core.sealed import SealedTestSet
from dlpilot.data._csv import detect_format
from dlpilot.data.dataset import Dataset

# An integer column with at most this many distinct values (and more than two)
# is typed categorical; preparation also keeps its numeric value.
LOW_CARDINALITY_INTEGERS = 10
# A string column is free text when its values average at least this many words
# and most of them are distinct.
TEXT_MIN_MEAN_WORDS = 4.0
TEXT_MIN_UNIQUE_SHARE = 0.5
_BOOL_STRINGS = {"true", "false", "yes", "no", "t", "f", "y", "n"}


# Rows without a target are set aside, unless they are most of the table: then the target
# column is more likely the wrong one.
MAX_UNLABELLED_SHARE = 0.5


def load_table(
    path: str | Path,
    *,
    target: Sequence[str],
    name: str | None = None,
    sep: str | None = None,
    encoding: str | None = None,
    test: str | Path | None = None,
) -> Dataset:
    """Read a CSV or Parquet file and split it into typed features and target(s); ``sep``
    and ``encoding`` override what is detected from the file. ``test`` is a second file,
    the sealed test set, with the same input columns, labelled or not."""
    path = Path(path)
    frame, notes = read_table(path, sep=sep, encoding=encoding)
    dataset = table_to_dataset(
        frame, target=target, name=name or path.name, source=str(path), notes=notes
    )
    if test is None:
        return dataset
    return with_test_table(dataset, Path(test), sep=sep, encoding=encoding)


def with_test_table(
    dataset: Dataset, path: Path, *, sep: str | None = None, encoding: str | None = None
) -> Dataset:
    """``dataset`` with the table at ``path`` as its sealed test set. The file needs every
    input column (extra ones are ignored); with the target column(s) filled in it is scored
    once, without them the final stage writes its predictions."""
    if not path.exists():
        raise SourceNotFoundError(
            msg("Test file '{path}' not found. Check the --test path.", path=str(path))
        )
    frame, how = read_table(path, sep=sep, encoding=encoding)
    assert isinstance(dataset.x, pd.DataFrame)
    features = [str(c) for c in dataset.x.columns]
    missing = [c for c in features if c not in frame.columns]
    if missing:
        raise DataError(
            msg(
                "Test file '{file}' lacks the training column(s) {columns}. Give a test file "
                "with every input column of the training file (extra ones are ignored).",
                file=path.name,
                columns=_listing(missing),
            )
        )
    targets = list(dataset.target_names)
    present = [t for t in targets if t in frame.columns]
    if present and len(present) < len(targets):
        absent = [t for t in targets if t not in present]
        raise DataError(
            msg(
                "Test file '{file}' has target column(s) {present} but not {absent}. Give every "
                "target column, or none for predictions only.",
                file=path.name,
                present=present,
                absent=absent,
            )
        )
    labelled = bool(present) and not frame[targets].isna().all().all()
    if labelled and frame[targets].isna().any().any():
        rows = np.flatnonzero(frame[targets].isna().any(axis=1).to_numpy())
        raise DataError(
            msg(
                "Test file '{file}' lacks the target in {n:,} row(s) (rows {rows}). Fill them in "
                "to score the test set, or leave the target column out to get predictions only.",
                file=path.name,
                n=len(rows),
                rows=_rows(rows),
            )
        )
    x = coerce_columns(frame[features].reset_index(drop=True), dict(dataset.column_kinds))
    y = _target_values(frame[targets].reset_index(drop=True)) if labelled else None
    notes: tuple[tuple[Text, Text], ...] = tuple(
        (msg("test file: {what}", what=what), why) for what, why in how
    )
    if labelled:
        test_note = (
            msg(
                "test set: '{file}' ({n:,} rows, labelled), given with --test",
                file=path.name,
                n=len(frame),
            ),
            msg(
                "a test file of the user's own is the sealed test set; it is scored once, after "
                "every choice was made on validation data"
            ),
        )
    else:
        test_note = (
            msg(
                "test set: '{file}' ({n:,} rows, without labels), given with --test",
                file=path.name,
                n=len(frame),
            ),
            msg(
                "a test file of the user's own is the sealed test set; it has no target, so the "
                "final stage writes its predictions (test_predictions.csv) and the test score "
                "stays unknown"
            ),
        )
    notes += (test_note,)
    return replace(
        dataset,
        test=SealedTestSet(x, y, origin=f"the test file '{path.name}'"),
        notes=dataset.note_texts + notes,
    )


def frame_to_dataset(
    frame: pd.DataFrame, *, target: Sequence[str], name: str, source: str
) -> Dataset:
    """A DataFrame in memory, split into typed features and target(s) as a table file is
    (its index dropped, its column names as strings)."""
    frame = frame.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    dupes = sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
    if dupes:
        raise DataError(
            msg(
                "'{name}' repeats column names {dupes}. Rename them to be unique.",
                name=name,
                dupes=dupes,
            )
        )
    return table_to_dataset(frame, target=target, name=name, source=source)


def read_table(
    path: Path, *, sep: str | None = None, encoding: str | None = None
) -> tuple[pd.DataFrame, tuple[tuple[Text, Text], ...]]:
    """The file as a DataFrame, and how it was read (what, why pairs)."""
    if not path.exists():
        raise SourceNotFoundError(
            msg("File '{path}' not found. Check the path and try again.", path=str(path))
        )
    if path.is_dir():
        raise DataError(
            msg(
                "'{path}' is a folder, not a table. Give a CSV/Parquet file, or a folder of "
                "images with one sub-folder per class.",
                path=str(path),
            )
        )
    if path.stat().st_size == 0:
        raise DataError(
            msg(
                "File '{path}' is empty. Give a file with a header row and data rows.",
                path=str(path),
            )
        )
    suffix = path.suffix.lower()
    parquet = suffix in (".parquet", ".pq")
    notes: tuple[tuple[Text, Text], ...] = ()
    try:
        if parquet:
            frame = pd.read_parquet(path)
        else:
            fmt = detect_format(path, sep=sep, encoding=encoding)
            notes = fmt.notes
            frame = pd.read_csv(
                path,
                sep=fmt.sep,
                encoding=fmt.encoding,
                decimal=fmt.decimal,
                engine="c" if len(fmt.sep) == 1 else "python",
                **({"low_memory": False} if len(fmt.sep) == 1 else {}),
            )
    except pd.errors.EmptyDataError:
        raise DataError(
            msg("File '{path}' has no columns. Give a file with a header row.", path=str(path))
        ) from None
    except UnicodeDecodeError as exc:
        raise DataError(
            msg(
                "Cannot read '{path}' as {encoding} (byte {position}). Give its encoding with "
                "--encoding (utf-8, utf-16, latin-1, cp1252, …).",
                path=str(path),
                encoding=exc.encoding,
                position=exc.start,
            )
        ) from None
    except DlpilotError:
        raise  # already names the problem and its fix (an ambiguous delimiter, an encoding)
    except (pd.errors.ParserError, ValueError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if parquet:
            raise DataError(
                msg("Cannot parse '{path}' as Parquet: {error}.", path=str(path), error=first)
            ) from None
        raise DataError(
            msg(
                "Cannot parse '{path}' as CSV: {error}. Give the delimiter with --sep and the "
                "encoding with --encoding.",
                path=str(path),
                error=first,
            )
        ) from None
    if len(frame) == 0:
        raise DataError(
            msg(
                "File '{path}' has a header but no data rows. Add rows and try again.",
                path=str(path),
            )
        )
    frame.columns = [str(c) for c in frame.columns]
    dupes = sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
    if dupes:
        raise DataError(
            msg(
                "File '{path}' repeats column names {dupes}. Rename them to be unique.",
                path=str(path),
                dupes=dupes,
            )
        )
    return frame, notes


def table_to_dataset(
    frame: pd.DataFrame,
    *,
    target: Sequence[str],
    name: str,
    source: str,
    notes: tuple[tuple[Text, Text], ...] = (),
) -> Dataset:
    targets = _check_targets(frame, target)
    frame, dropped = _drop_unlabelled(frame, targets, name)
    y_frame = frame[targets]
    x = frame.drop(columns=targets)
    if x.shape[1] == 0:
        raise DataError(
            msg(
                "'{name}' has no feature columns besides the target {targets}. Add input columns.",
                name=name,
                targets=targets,
            )
        )
    kinds = {col: type_column(x[col], col) for col in x.columns}
    x = coerce_columns(x, kinds)
    y = _target_values(y_frame)
    return Dataset(
        name=name,
        source=source,
        x=x,
        y=y,
        target_names=tuple(targets),
        column_kinds=kinds,
        notes=notes + dropped,
    )


def _drop_unlabelled(
    frame: pd.DataFrame, targets: list[str], name: str
) -> tuple[pd.DataFrame, tuple[tuple[Text, Text], ...]]:
    """The rows that have every target, and a note on the ones set aside."""
    for col in targets:
        if frame[col].isna().all():
            raise DataError(
                msg(
                    "Target column '{column}' is empty (all values missing). Choose a column "
                    "that holds the labels or values to predict.",
                    column=col,
                )
            )
    missing = frame[targets].isna().any(axis=1).to_numpy()
    if not missing.any():
        return frame, ()
    rows = np.flatnonzero(missing)
    share = len(rows) / len(frame)
    cols = ", ".join(f"'{c}'" for c in targets)
    if share > MAX_UNLABELLED_SHARE:
        raise DataError(
            msg(
                "Target {columns} is missing in {n:,} of {total:,} rows of '{name}' "
                "({share:.0%}): is it the right column? Fill in the targets or choose another "
                "--target.",
                columns=cols,
                n=len(rows),
                total=len(frame),
                name=name,
                share=share,
            )
        )
    note = (
        msg(
            "set aside {n:,} of {total:,} rows whose target {columns} is missing (rows {rows})",
            n=len(rows),
            total=len(frame),
            columns=cols,
            rows=_rows(rows),
        ),
        msg(
            "a row without a target can neither train a model nor score one; it is left out "
            "before the split, so it lands in no split"
        ),
    )
    return frame.loc[~missing].reset_index(drop=True), (note,)


def _check_targets(frame: pd.DataFrame, target: Sequence[str]) -> list[str]:
    columns = list(frame.columns)
    if not target:
        raise DataError(
            msg(
                "No target column given. Pass --target COLUMN; columns: {columns}.",
                columns=_listing(columns),
            )
        )
    for col in target:
        if col not in columns:
            close = difflib.get_close_matches(col, columns, n=3, cutoff=0.5)
            if close:
                raise DataError(
                    msg(
                        "Target column '{column}' not found. Did you mean {close}? Columns: "
                        "{columns}.",
                        column=col,
                        close=", ".join(repr(c) for c in close),
                        columns=_listing(columns),
                    )
                )
            raise DataError(
                msg(
                    "Target column '{column}' not found. Columns: {columns}.",
                    column=col,
                    columns=_listing(columns),
                )
            )
    return list(dict.fromkeys(target))


def _listing(columns: Sequence[str], limit: int = 20) -> Text:
    shown = ", ".join(columns[:limit])
    if len(columns) > limit:
        return msg("{shown}, … ({n} more)", shown=shown, n=len(columns) - limit)
    return shown


def _target_values(y_frame: pd.DataFrame) -> np.ndarray:
    for col in y_frame.columns:
        s = y_frame[col]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            values = s.to_numpy(dtype=float)
            bad = np.flatnonzero(~np.isfinite(values))
            if len(bad):
                raise DataError(
                    msg(
                        "Target column '{column}' has infinite values (rows {rows}). Replace or "
                        "drop them.",
                        column=col,
                        rows=_rows(bad),
                    )
                )
    if y_frame.shape[1] == 1:
        s = y_frame.iloc[:, 0]
        if pd.api.types.is_bool_dtype(s):
            return s.astype(int).to_numpy()
        return s.to_numpy()
    if all(pd.api.types.is_numeric_dtype(y_frame[c]) for c in y_frame.columns):
        return y_frame.to_numpy(dtype=float)
    raise DataError(
        msg(
            "Several target columns {columns} must all be numeric (0/1 labels for multilabel, "
            "numbers for vector regression). Encode them as numbers.",
            columns=list(y_frame.columns),
        )
    )


def _rows(idx: np.ndarray, limit: int = 5) -> str:
    # Report 1-based data rows, as a user counts them below the header.
    shown = ", ".join(str(i + 1) for i in idx[:limit])
    return shown + (", …" if len(idx) > limit else "")


def type_column(s: pd.Series, name: str) -> ColumnKind:
    """Decide how one feature column is treated; raise on columns that mix types."""
    non_null = s.dropna()
    if pd.api.types.is_bool_dtype(s):
        return ColumnKind.BOOLEAN
    if pd.api.types.is_numeric_dtype(s):
        values = non_null.to_numpy(dtype=float)
        if np.isinf(values).any():
            rows = np.flatnonzero(np.isinf(s.to_numpy(dtype=float)))
            raise DataError(
                msg(
                    "Column '{name}' has infinite values (rows {rows}). Replace them with "
                    "numbers or leave the cells empty (empty cells are imputed).",
                    name=name,
                    rows=_rows(rows),
                )
            )
        uniq = np.unique(values)
        if len(uniq) == 2 and set(uniq.tolist()) <= {0.0, 1.0}:
            return ColumnKind.BOOLEAN
        integral = bool(np.all(np.equal(np.mod(values, 1), 0)))
        if integral and 2 < len(uniq) <= LOW_CARDINALITY_INTEGERS:
            return ColumnKind.CATEGORICAL
        return ColumnKind.NUMERIC
    if isinstance(s.dtype, pd.CategoricalDtype):
        return ColumnKind.CATEGORICAL
    strings = non_null.astype(str)
    if (
        len(strings)
        and set(strings.str.lower().unique()) <= _BOOL_STRINGS
        and strings.str.lower().nunique() == 2
    ):
        return ColumnKind.BOOLEAN
    numeric = pd.to_numeric(strings, errors="coerce")
    n_numeric = int(numeric.notna().sum())
    if 0 < n_numeric < len(strings) and n_numeric >= 0.9 * len(strings):
        bad = strings[numeric.isna()]
        raise DataError(
            msg(
                "Column '{name}' mixes numbers and text ({n} non-numeric value(s), e.g. "
                "{example!r} in row {row}). Fix those cells, or leave them empty to have them "
                "imputed.",
                name=name,
                n=len(bad),
                example=bad.iloc[0],
                row=int(bad.index[0]) + 1,
            )
        )
    if len(strings) and _looks_like_text(strings):
        return ColumnKind.TEXT
    return ColumnKind.CATEGORICAL


def _looks_like_text(strings: pd.Series) -> bool:
    words = strings.str.split().str.len()
    return bool(
        words.mean() >= TEXT_MIN_MEAN_WORDS
        and strings.nunique() >= TEXT_MIN_UNIQUE_SHARE * len(strings)
    )


def coerce_columns(x: pd.DataFrame, kinds: dict[str, ColumnKind]) -> pd.DataFrame:
    """Give every column the dtype its kind implies, keeping missing values missing."""
    out = {}
    for col, kind in kinds.items():
        s = x[col]
        if kind is ColumnKind.NUMERIC:
            out[col] = pd.to_numeric(s, errors="coerce").astype(float)
        elif kind is ColumnKind.BOOLEAN:
            if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
                out[col] = s.astype(float)
            else:
                low = s.astype("string").str.lower()
                out[col] = low.map(
                    lambda v: np.nan if pd.isna(v) else float(v in ("true", "yes", "t", "y"))
                ).astype(float)
        elif kind is ColumnKind.CATEGORICAL:
            out[col] = s.map(_category_label).astype(object)
        else:
            out[col] = s.map(lambda v: "" if pd.isna(v) else str(v)).astype(object)
    return pd.DataFrame(out, index=x.index)


def _category_label(v: object) -> object:
    if pd.isna(v):
        return v
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
