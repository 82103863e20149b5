"""Where training batches come from: in-memory tensors by a shuffled index, or a DataLoader.

Image batches run channels-last (`uses_channels_last`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import torch
from torch.utils.data import DataLoader
from torch.utils.data import Dataset as TorchDataset

from dlpilot.core.errors import DataError
from dlpilot.core.messages import msg
from dlpilot.engine.config import TrainConfig
from dlpilot.engine.data import TensorData

Data = TensorData | TorchDataset

# Largest batch used for validation and prediction (no gradients are kept).
EVAL_BATCH_SIZE = 1024


def uses_channels_last(x_ndim: int) -> bool:
    """Image batches run channels-last: measured here 1.3-2.7× faster per epoch in fp32 on an
    AVX2 CPU (oneDNN's blocked convolutions), and the layout bf16 kernels want."""
    return x_ndim == 4


class Batches:
    device: torch.device
    steps_per_epoch: int
    x_ndim: int
    y_sample: torch.Tensor

    def epoch(
        self, generator: torch.Generator | None
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        raise NotImplementedError


class TensorBatches(Batches):
    """Batches by indexing in-memory tensors with a shuffled index: no DataLoader, no copies
    beyond the batch itself."""

    def __init__(
        self, data: TensorData, batch_size: int, device: torch.device, *, shuffle: bool
    ) -> None:
        x = data.x.to(device)
        if uses_channels_last(x.ndim):
            x = x.contiguous(memory_format=torch.channels_last)
        self.x, self.y = x, data.y.to(device)
        self.device = device
        self.n = len(x)
        self.batch_size = batch_size
        self.shuffle = shuffle
        full, rest = divmod(self.n, batch_size)
        # A last batch of one sample breaks batch norm; it is dropped (the order changes
        # every epoch, so no sample is left out for long).
        self.drop_one = shuffle and rest == 1 and self.n > 1
        self.steps_per_epoch = full + (1 if rest and not self.drop_one else 0)
        self.x_ndim = x.ndim
        self.y_sample = self.y[: min(self.n, 4096)]

    def epoch(
        self, generator: torch.Generator | None
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        bs = self.batch_size
        if not self.shuffle:
            for start in range(0, self.n, bs):
                yield self.x[start : start + bs], self.y[start : start + bs]
            return
        order = torch.randperm(self.n, generator=generator, device=self.device)
        for i in range(self.steps_per_epoch):
            index = order[i * bs : (i + 1) * bs]
            yield self.x[index], self.y[index]


class LoaderBatches(Batches):
    """Streamed data (e.g. a lazy image folder) through a DataLoader with worker processes."""

    def __init__(
        self,
        dataset: TorchDataset,
        batch_size: int,
        device: torch.device,
        *,
        shuffle: bool,
        num_workers: int | None,
    ) -> None:
        self.dataset = dataset
        self.device = device
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.workers = min(4, os.cpu_count() or 1) if num_workers is None else num_workers
        n = len(dataset)  # type: ignore[arg-type]
        if n == 0:
            raise DataError(msg("The training Dataset is empty; give at least one sample."))
        full, rest = divmod(n, batch_size)
        self.drop_one = shuffle and rest == 1 and n > 1
        self.steps_per_epoch = full + (1 if rest and not self.drop_one else 0)
        first = dataset[0]
        x0, y0 = first if isinstance(first, tuple | list) else (first, torch.zeros(()))
        self.x_ndim = torch.as_tensor(x0).ndim + 1
        self.y_sample = torch.as_tensor(y0).unsqueeze(0)
        self._loader: DataLoader[Any] | None = None

    def epoch(
        self, generator: torch.Generator | None
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        if self._loader is None:
            # Shuffle order comes from a CPU generator seeded from the training generator,
            # so the order is fixed by the seed whatever device trains.
            seed = (
                0
                if generator is None
                else int(
                    torch.randint(0, 2**62, (1,), generator=generator, device=generator.device)
                )
            )
            self._loader = DataLoader(
                self.dataset,
                batch_size=self.batch_size,
                shuffle=self.shuffle,
                drop_last=self.drop_one,
                num_workers=self.workers,
                persistent_workers=self.workers > 0,
                pin_memory=self.device.type == "cuda",
                generator=torch.Generator().manual_seed(seed),
            )
        channels_last = uses_channels_last(self.x_ndim)
        for item in self._loader:
            xb, yb = item if isinstance(item, tuple | list) else (item, torch.zeros(len(item)))
            xb = xb.to(self.device, non_blocking=True)
            if channels_last:
                xb = xb.contiguous(memory_format=torch.channels_last)
            yield xb, yb.to(self.device, non_blocking=True)


def batch_source(
    data: Data, config: TrainConfig, device: torch.device, *, shuffle: bool, num_workers: int | None
) -> Batches:
    if isinstance(data, TensorData):
        size = config.batch_size if shuffle else max(config.batch_size, EVAL_BATCH_SIZE)
        return TensorBatches(data, size, device, shuffle=shuffle)
    if isinstance(data, TorchDataset):
        size = config.batch_size if shuffle else max(config.batch_size, EVAL_BATCH_SIZE)
        return LoaderBatches(data, size, device, shuffle=shuffle, num_workers=num_workers)
    raise DataError(
        msg(
            "Training data must be a TensorData or a torch Dataset; got {kind}.",
            kind=type(data).__name__,
        )
    )
