"""Reader for the IDX format (MNIST, Fashion-MNIST), gzipped or not."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from dlpilot.core.errors import DataError
from dlpilot.core.messages import msg

_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: Path) -> np.ndarray:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as fh:
            data = fh.read()
    except (OSError, EOFError) as exc:
        raise DataError(
            msg(
                "Cannot read IDX file '{path}': {error}. Reinstall or re-download it.",
                path=str(path),
                error=str(exc),
            )
        ) from None
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _DTYPES:
        raise DataError(
            msg("'{path}' is not an IDX file (bad magic number). Reinstall it.", path=str(path))
        )
    ndim = data[3]
    header = 4 + 4 * ndim
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_DTYPES[data[2]])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(data) - header != expected:
        raise DataError(
            msg(
                "IDX file '{path}' is truncated: {have} bytes of data, expected {expected} for "
                "shape {shape}. Reinstall or re-download it.",
                path=str(path),
                have=len(data) - header,
                expected=expected,
                shape=str(shape),
            )
        )
    return (
        np.frombuffer(data, dtype=dtype, offset=header)
        .reshape(shape)
        .astype(dtype.newbyteorder("="))
    )
