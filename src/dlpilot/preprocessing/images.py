"""Images: one pixel scale, one shape, optional grayscale, per-channel mean and std.

Image files are decoded to uint8 N×C×H×W; arrays in C×H×W, H×W×C or H×W layout are read
as such; other sizes are resized (area averaging to shrink, bilinear otherwise) and other
channel counts converted. `ImageStream` prepares images one at a time as training reads
them, for sets too large to hold prepared.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from dlpilot.core.errors import DataError
from dlpilot.core.messages import msg
from dlpilot.data.dataset import ImageFiles, Inputs, take
from dlpilot.preprocessing.base import STATE_VERSION, Preparer

# Per-channel statistics of an image folder come from at most this many training images.
IMAGE_STATS_SAMPLE = 10_000
# An image whose largest value is at most this is on the 0–1 scale ...
UNIT_RANGE_MAX = 1.0
# ... and a group of images is on the 0–255 scale when its median largest value exceeds this.
BYTE_RANGE_MEDIAN_MAX = 100.0
_CHUNK = 1024
# ITU-R 601-2 luma, as PIL's "L" mode uses.
_LUMA = (0.299, 0.587, 0.114)


class ImagePreparer(Preparer):
    """One pixel scale, one shape (C×H×W), optional grayscale, per-channel mean/std."""

    kind = "image"

    def __init__(self, shape: Sequence[int], grayscale: bool = False) -> None:
        self.shape = shape
        self.grayscale = grayscale

    def fit(self, x: Inputs) -> ImagePreparer:
        channels, height, width = (int(s) for s in self.shape)
        self.source_channels_ = channels
        self.size_ = (height, width)
        self.out_channels_ = 1 if self.grayscale else channels
        if isinstance(x, ImageFiles):
            idx = np.arange(len(x))
            if len(idx) > IMAGE_STATS_SAMPLE:
                rng = np.random.default_rng(0)
                idx = np.sort(rng.choice(idx, IMAGE_STATS_SAMPLE, replace=False))
            self.stats_images_ = len(idx)
            x = decode_images(take(x, idx), channels=channels, size=self.size_)
        else:
            self.stats_images_ = len(x)
        arr = np.asarray(x)
        maxima = _image_maxima(arr)
        n_unit, n_wide, wide_median = _pixel_groups(maxima)
        # Rescale 0–1 images to the training scale when training is on 0–255, and the reverse.
        self.unit_to_byte_ = bool(n_wide and wide_median > BYTE_RANGE_MEDIAN_MAX)
        self.byte_to_unit_ = bool(n_unit and not n_wide and arr.dtype.kind == "f")
        self.pixel_groups_ = {"unit": n_unit, "wide": n_wide, "wide_median_max": wide_median}
        total = np.zeros(self.out_channels_)
        total_sq = np.zeros(self.out_channels_)
        count = 0
        for start in range(0, len(arr), _CHUNK):
            chunk = self._pixels(arr[start : start + _CHUNK]).double()
            total += chunk.sum(dim=(0, 2, 3)).numpy()
            total_sq += (chunk**2).sum(dim=(0, 2, 3)).numpy()
            count += chunk.shape[0] * chunk.shape[2] * chunk.shape[3]
        mean = total / max(count, 1)
        var = np.maximum(total_sq / max(count, 1) - mean**2, 0.0)
        std = np.sqrt(var)
        self.mean_ = mean
        self.std_ = np.where(std > 0, std, 1.0)
        return self

    @property
    def input_shape(self) -> tuple[int, ...]:
        self._check_fitted("mean_")
        return (self.out_channels_, *self.size_)

    @property
    def raw_shape(self) -> tuple[int, ...]:
        self._check_fitted("mean_")
        return (self.source_channels_, *self.size_)

    def pixel_stats(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The per-channel mean and std, as on 0–1 pixels; None when the training scale is
        neither 0–1 nor 0–255 (a pretrained backbone could not be fed then)."""
        self._check_fitted("mean_")
        groups = self.pixel_groups_
        if not groups:  # restored from a bundle, which keeps the statistics, not the scale
            return None
        if not groups["wide"]:
            scale = 1.0
        elif groups["wide_median_max"] > BYTE_RANGE_MEDIAN_MAX:
            scale = 255.0
        else:
            return None
        return self.mean_ / scale, self.std_ / scale

    def transform(self, x: Any) -> torch.Tensor:
        self._check_fitted("mean_")
        if isinstance(x, (list, tuple)):
            x = ImageFiles(tuple(x))
        if isinstance(x, ImageFiles):
            x = decode_images(x, channels=self.source_channels_, size=self.size_)
        arr = np.asarray(x)
        out = torch.empty((len(arr), *self.input_shape), dtype=torch.float32)
        mean = torch.as_tensor(self.mean_, dtype=torch.float32).view(1, -1, 1, 1)
        std = torch.as_tensor(self.std_, dtype=torch.float32).view(1, -1, 1, 1)
        for start in range(0, len(arr), _CHUNK):
            chunk = self._pixels(arr[start : start + _CHUNK])
            out[start : start + len(chunk)] = (chunk - mean) / std
        return out

    def _pixels(self, arr: np.ndarray) -> torch.Tensor:
        """Raw images → float32 N×C×H×W on one scale, in the target channels and size."""
        # A copy: rescaling below works in place and must not touch the caller's array.
        t = torch.from_numpy(
            np.array(_as_nchw(arr, self.source_channels_, self.size_), dtype=np.float32, order="C")
        )
        if self.unit_to_byte_ or self.byte_to_unit_:
            maxima = t.amax(dim=(1, 2, 3))
            if self.unit_to_byte_:
                unit = (maxima > 0) & (maxima <= UNIT_RANGE_MAX)
                t[unit] = t[unit] * 255.0
            else:
                wide = maxima > UNIT_RANGE_MAX
                t[wide] = t[wide] / 255.0
        t = _match_channels(t, 1 if self.grayscale else self.source_channels_)
        if tuple(t.shape[2:]) != self.size_:
            t = _resize(t, self.size_)
        return t

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        self._check_fitted("mean_")
        meta = {
            "kind": self.kind,
            "version": STATE_VERSION,
            "shape": [self.source_channels_, *self.size_],
            "grayscale": self.grayscale,
            "unit_to_byte": self.unit_to_byte_,
            "byte_to_unit": self.byte_to_unit_,
            "stats_images": self.stats_images_,
        }
        return meta, {"mean": self.mean_.copy(), "std": self.std_.copy()}

    @classmethod
    def _from_state(
        cls, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]
    ) -> ImagePreparer:
        shape = [int(s) for s in meta["shape"]]
        prep = cls(shape=shape, grayscale=bool(meta["grayscale"]))
        prep.source_channels_ = shape[0]
        prep.size_ = (shape[1], shape[2])
        prep.out_channels_ = 1 if prep.grayscale else shape[0]
        prep.unit_to_byte_ = bool(meta["unit_to_byte"])
        prep.byte_to_unit_ = bool(meta["byte_to_unit"])
        prep.stats_images_ = int(meta.get("stats_images", 0))
        prep.pixel_groups_ = {}
        prep.mean_ = np.asarray(arrays["mean"], dtype=np.float64)
        prep.std_ = np.asarray(arrays["std"], dtype=np.float64)
        return prep

    def __repr__(self) -> str:
        if not hasattr(self, "mean_"):
            return f"ImagePreparer(shape={tuple(self.shape)}, unfitted)"
        return f"ImagePreparer(input_shape={self.input_shape}, mean={np.round(self.mean_, 3).tolist()})"


class ImageStream(torch.utils.data.Dataset):
    """Images prepared one at a time as they are read, for sets too large to hold prepared.

    Reads rows ``idx`` of ``x`` (an array or `ImageFiles`); yields (C×H×W float32, target).
    """

    def __init__(
        self, x: np.ndarray | ImageFiles, idx: np.ndarray, y: torch.Tensor, preparer: ImagePreparer
    ) -> None:
        self.x = x
        self.idx = np.asarray(idx, dtype=np.int64)
        self.y = y
        self.preparer = preparer

    def __len__(self) -> int:
        return len(self.idx)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        raw = take(self.x, self.idx[i : i + 1])
        return self.preparer.transform(raw)[0], self.y[i]

    def subset(self, index: torch.Tensor | np.ndarray) -> ImageStream:
        """The stream over rows ``index`` of this one (as `TensorData.subset`)."""
        index = np.asarray(index, dtype=np.int64)
        return ImageStream(self.x, self.idx[index], self.y[torch.from_numpy(index)], self.preparer)

    def __repr__(self) -> str:
        return f"ImageStream(n={len(self)}, input_shape={self.preparer.input_shape})"


def decode_images(files: ImageFiles, *, channels: int, size: tuple[int, int]) -> np.ndarray:
    """Decode image files as uint8 N×C×H×W, converted to grey (1) or RGB (3), resized to H×W."""
    mode = "L" if channels == 1 else "RGB"
    height, width = size
    out = np.empty((len(files), channels, height, width), dtype=np.uint8)
    for i in range(len(files)):
        out[i] = files.read(i, mode=mode, size=(width, height)).transpose(2, 0, 1)
    return out


def pixel_groups(images: Any) -> tuple[int, int, float]:
    """(images on 0–1, images beyond 1, median largest value of the latter); none for files."""
    return _pixel_groups(_image_maxima(images))


def _as_nchw(arr: np.ndarray, channels: int, size: tuple[int, int]) -> np.ndarray:
    if arr.dtype.kind not in "biuf":
        raise DataError(
            msg("Images must be numeric arrays, got dtype {dtype}.", dtype=str(arr.dtype))
        )
    if arr.ndim == 2:
        per = channels * size[0] * size[1]
        side = math.isqrt(arr.shape[1])
        if arr.shape[1] == per:
            return arr.reshape(len(arr), channels, *size)
        if side * side == arr.shape[1]:
            return arr.reshape(len(arr), 1, side, side)
    if arr.ndim == 3:
        return arr[:, None, :, :]
    if arr.ndim == 4:
        if arr.shape[1] == channels:
            return arr
        channels_last = arr.shape[-1] == channels or (
            arr.shape[-1] in (1, 3, 4) and arr.shape[1] not in (1, 3, 4)
        )
        return arr.transpose(0, 3, 1, 2) if channels_last else arr
    raise DataError(
        msg(
            "Images of shape {shape} cannot be read; expected C×H×W, H×W×C or H×W arrays (the "
            "model expects {channels}×{height}×{width}).",
            shape=str(arr.shape[1:]),
            channels=channels,
            height=size[0],
            width=size[1],
        )
    )


def _resize(t: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """Area averaging to shrink, bilinear interpolation otherwise."""
    if t.shape[2] >= size[0] and t.shape[3] >= size[1]:
        return F.interpolate(t, size=size, mode="area")
    return F.interpolate(t, size=size, mode="bilinear", align_corners=False, antialias=True)


def _match_channels(t: torch.Tensor, channels: int) -> torch.Tensor:
    have = t.shape[1]
    if have == channels:
        return t
    if channels == 1 and have in (3, 4):
        w = torch.tensor(_LUMA, dtype=t.dtype).view(1, 3, 1, 1)
        return (t[:, :3] * w).sum(dim=1, keepdim=True)
    if channels == 1 and have == 2:
        return t[:, :1]
    if channels == 3 and have == 4:
        return t[:, :3]
    if channels == 3 and have in (1, 2):
        return t[:, :1].repeat(1, 3, 1, 1)
    raise DataError(
        msg(
            "Images have {have} channels; the model expects {channels}.",
            have=have,
            channels=channels,
        )
    )


def _image_maxima(arr: np.ndarray) -> np.ndarray:
    if isinstance(arr, ImageFiles):
        return np.zeros(0)
    flat = arr.reshape(len(arr), -1)
    return np.asarray(flat.max(axis=1), dtype=np.float64) if flat.size else np.zeros(len(arr))


def _pixel_groups(maxima: np.ndarray) -> tuple[int, int, float]:
    """(images on 0–1, images beyond 1, median largest value of the latter)."""
    unit = (maxima > 0) & (maxima <= UNIT_RANGE_MAX)
    wide = maxima > UNIT_RANGE_MAX
    median = float(np.median(maxima[wide])) if wide.any() else 0.0
    return int(unit.sum()), int(wide.sum()), median
