"""Export a trained model to ONNX or TorchScript, and check it against PyTorch.

The exported model takes the *prepared* tensors, one per member network (``input_0``,
``input_1``, …; a single network has only ``input_0``), which `TrainedModel.prepare`
gives, and returns ``scores``: the members' outputs after the final activation,
averaged. Binary: P(second class), shape N; multiclass: softmax probabilities N×k;
multilabel: sigmoid probabilities N×k; regression: values N (N×d for several targets).
The batch size is free; every other size is the training one.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch
from torch import nn

from dlpilot.bundle.formats import ExportFormat
from dlpilot.bundle.model import TrainedModel
from dlpilot.core.enums import Task
from dlpilot.core.errors import ConfigError, DlpilotError
from dlpilot.core.messages import msg
from dlpilot.core.rundir import MODEL_DIR

# Outputs of the exported model and of PyTorch may differ by float rounding, no more.
EXPORT_ATOL = 1e-4
EXPORT_RTOL = 1e-4
# Rows of the random batch the check runs (not 1, so a batch axis fixed at 1 would show).
CHECK_ROWS = 3
ONNX_OPSET = 17


@dataclass(frozen=True)
class ExportResult:
    """Where the exported model went, what it takes, and how far it is from PyTorch."""

    path: Path
    format: ExportFormat
    inputs: tuple[tuple[str, str, tuple[str | int, ...]], ...]
    output: tuple[str, tuple[str | int, ...]]
    max_abs_diff: float | None

    def describe(self) -> str:
        ins = ", ".join(f"{n} {dt}[{'×'.join(map(str, s))}]" for n, dt, s in self.inputs)
        name, shape = self.output
        check = (
            f"; max |{self.format} − PyTorch| = {self.max_abs_diff:.2g} on a random batch"
            if self.max_abs_diff is not None
            else ""
        )
        return f"takes {ins}; returns {name}[{'×'.join(map(str, shape))}]{check}"


class ScoreEnsemble(nn.Module):
    """The member networks, each on its own prepared input; averaged scores out."""

    def __init__(self, networks: Sequence[nn.Module], task: Task) -> None:
        super().__init__()
        self.networks = nn.ModuleList(networks)
        self.task = Task(task)

    def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
        from dlpilot.engine import scores_from_outputs

        total = None
        for network, x in zip(self.networks, inputs, strict=True):
            scores = scores_from_outputs(network(x), self.task)
            total = scores if total is None else total + scores
        assert total is not None
        return total / len(self.networks)


def default_export_path(model: TrainedModel, fmt: ExportFormat) -> Path:
    """``RUN_DIR/model.onnx`` (or ``.pt``) beside the bundle of a run directory."""
    if model.path is None:
        return Path(f"model{fmt.suffix}")
    base = model.path.parent if model.path.name == MODEL_DIR else model.path
    return base / f"model{fmt.suffix}"


def export_model(
    model: TrainedModel,
    path: str | Path | None = None,
    *,
    format: ExportFormat | str = ExportFormat.ONNX,
    check: bool = True,
) -> ExportResult:
    """Write ``model`` as ONNX (run with onnxruntime) or TorchScript; with ``check``, run
    the file on a random prepared batch and compare with PyTorch (a `DlpilotError` if they
    differ beyond rounding)."""
    try:
        fmt = ExportFormat(format)
    except ValueError:
        raise ConfigError(
            msg(
                "Unknown export format {format!r}; choose one of {choices}.",
                format=format,
                choices=", ".join(f.value for f in ExportFormat),
            )
        ) from None
    out = Path(path) if path is not None else default_export_path(model, fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    ensemble = ScoreEnsemble([m.network.to("cpu") for m in model.members], model.task).eval()
    example = example_inputs(model, rows=2)
    names = [f"input_{i}" for i in range(len(example))]
    with warnings.catch_warnings():
        # PyTorch warns that both exporters are legacy; the files they write are current.
        warnings.simplefilter("ignore")
        if fmt is ExportFormat.ONNX:
            _export_onnx(ensemble, example, names, out)
        else:
            with torch.no_grad():
                traced = torch.jit.trace(ensemble, tuple(example), check_trace=False)
            traced.save(str(out))
    output_shape: tuple[str | int, ...] = ("N",)
    if model.task is Task.MULTICLASS or model.task is Task.MULTILABEL:
        output_shape = ("N", len(model.classes))
    elif model.task is Task.VECTOR_REGRESSION:
        output_shape = ("N", len(model.target_names))
    result = ExportResult(
        path=out,
        format=fmt,
        inputs=tuple(
            (n, str(x.dtype).replace("torch.", ""), ("N", *x.shape[1:]))
            for n, x in zip(names, example, strict=True)
        ),
        output=("scores", output_shape),
        max_abs_diff=None,
    )
    if check:
        diff = check_export(model, result)
        result = replace(result, max_abs_diff=diff)
    return result


def _export_onnx(
    ensemble: nn.Module, example: list[torch.Tensor], names: list[str], out: Path
) -> None:
    try:
        import onnx  # noqa: F401  (the exporter needs it)
    except ImportError:
        raise ConfigError(
            msg(
                "ONNX export needs the onnx package: pip install 'dlpilot[export]' (onnx, "
                "onnxruntime)."
            )
        ) from None
    torch.onnx.export(
        ensemble,
        tuple(example),
        str(out),
        dynamo=False,
        input_names=names,
        output_names=["scores"],
        dynamic_axes={**{n: {0: "N"} for n in names}, "scores": {0: "N"}},
        opset_version=ONNX_OPSET,
    )


def example_inputs(model: TrainedModel, *, rows: int, seed: int = 0) -> list[torch.Tensor]:
    """Random prepared inputs of the right shape and type, one per member."""
    g = torch.Generator().manual_seed(seed)
    out = []
    for m in model.members:
        shape = (rows, *m.preparer.input_shape)
        vocab = m.preparer.vocab_size
        if vocab is not None:
            out.append(torch.randint(0, vocab, shape, generator=g, dtype=torch.int64))
        else:
            out.append(torch.randn(shape, generator=g))
    return out


def run_exported(result: ExportResult, inputs: Sequence[torch.Tensor]) -> np.ndarray:
    """Run an exported file on prepared inputs (onnxruntime for ONNX)."""
    if result.format is ExportFormat.ONNX:
        try:
            import onnxruntime as ort
        except ImportError:
            raise ConfigError(
                msg("Running an ONNX model needs onnxruntime: pip install 'dlpilot[export]'.")
            ) from None
        session = ort.InferenceSession(str(result.path), providers=["CPUExecutionProvider"])
        feed = {f"input_{i}": x.cpu().numpy() for i, x in enumerate(inputs)}
        return np.asarray(session.run(["scores"], feed)[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # "torch.jit is deprecated"
        loaded = torch.jit.load(str(result.path), map_location="cpu")
    with torch.no_grad():
        return loaded(*inputs).cpu().numpy()


def check_export(model: TrainedModel, result: ExportResult) -> float:
    """Largest absolute difference between the exported model and PyTorch on a random batch."""
    from dlpilot.engine import scores_from_outputs

    inputs = example_inputs(model, rows=CHECK_ROWS, seed=1)
    with torch.no_grad():
        expected = np.mean(
            [
                scores_from_outputs(m.network.to("cpu")(x), model.task).numpy()
                for m, x in zip(model.members, inputs, strict=True)
            ],
            axis=0,
        )
    got = run_exported(result, inputs)
    if got.shape != expected.shape or not np.allclose(
        got, expected, atol=EXPORT_ATOL, rtol=EXPORT_RTOL
    ):
        diff = (
            float(np.max(np.abs(got - expected))) if got.shape == expected.shape else float("inf")
        )
        raise DlpilotError(
            msg(
                "The exported {format} model disagrees with PyTorch (max difference {diff:.3g}, "
                "shapes {got} and {expected}); '{path}' should not be used. Rerun with "
                "DLPILOT_DEBUG=1 and report it.",
                format=str(result.format),
                diff=diff,
                got=str(got.shape),
                expected=str(expected.shape),
                path=str(result.path),
            )
        )
    return float(np.max(np.abs(got - expected))) if got.size else 0.0
