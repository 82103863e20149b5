"""Section 5: training, stage by stage, with each stage's learning curves.

The baseline, the scale-up ladder, the tuning trials, the final training and the
learning rate per epoch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dlpilot.core.rundir import HISTORY_DIR
from dlpilot.report import _plots as plots
from dlpilot.report._html import decisions, facts, figure, findings, fmt, note, para, sub, table
from dlpilot.report._record import RunRecord, number
from dlpilot.report._sections.common import STAGE_TITLES, yes_no

BEST_TRIALS_SHOWN = 5


def training_section(record: RunRecord) -> str:
    return (
        _baseline(record)
        + _scale(record)
        + _tuning(record)
        + _final_stage(record)
        + sub("Learning rate per epoch", _lr(record), "lr")
    )


def _stage_block(record: RunRecord, name: str) -> str:
    stage = record.stage(name) or {}
    if not stage:
        return note(f"Stage '{name}' left no record.")
    return decisions(stage.get("decisions", [])) + findings(stage.get("findings", []))


def _ladder(record: RunRecord) -> list[dict[str, Any]]:
    return list(
        (record.summary.get("scale") or {}).get("ladder") or record.scale.get("ladder") or []
    )


def _overfit(record: RunRecord) -> tuple[int | None, int | None]:
    scale = record.summary.get("scale") or record.scale or {}
    step, epoch = scale.get("overfit_step"), scale.get("overfit_epoch")
    return (None if step is None else int(step)), (None if epoch is None else int(epoch))


def _curves(
    record: RunRecord, history_name: str, title: str, *, overfit: int | None, best: int | None
) -> str:
    history = record.histories.get(history_name)
    if history is None:
        return note(
            f"No history was recorded for {title.lower()} ({HISTORY_DIR}/{history_name}.csv)."
        )
    caption = []
    if overfit:
        caption.append(f"dashed: validation loss turns up from epoch {overfit} (overfitting)")
    if best:
        caption.append(f"dotted: the best epoch by validation, {best}")
    return figure(
        plots.curves(
            history, metric=record.primary, title=title, overfit_epoch=overfit, best_epoch=best
        ),
        "; ".join(caption).capitalize() + ("." if caption else ""),
    )


def _baseline(record: RunRecord) -> str:
    ladder = _ladder(record)
    step, epoch = _overfit(record)
    best = ladder[0].get("best_epoch") if ladder else None
    return sub(
        STAGE_TITLES["baseline"],
        _stage_block(record, "baseline")
        + _curves(
            record,
            "baseline",
            "Baseline network",
            overfit=epoch if step == 0 else None,
            best=best,
        ),
        "stage-baseline",
    )


def _scale(record: RunRecord) -> str:
    ladder = _ladder(record)
    step, epoch = _overfit(record)
    chosen = (record.summary.get("scale") or {}).get("chosen")
    if ladder:
        rows, classes = [], []
        for r in ladder:
            is_overfit = r.get("step") == step
            rows.append(
                [
                    r.get("step"),
                    r.get("name"),
                    r.get("depth"),
                    r.get("width"),
                    r.get("n_params"),
                    r.get("epochs"),
                    r.get("lr"),
                    number(r.get("train_score")),
                    number(r.get("val_score")),
                    r.get("best_epoch"),
                    " · ".join(
                        x
                        for x in (
                            f"overfits from epoch {epoch}" if is_overfit and epoch else "",
                            "chosen" if r.get("step") == chosen else "",
                        )
                        if x
                    ),
                    ", ".join(r.get("findings") or []),
                ]
            )
            classes.append(
                " ".join(
                    c
                    for c in (
                        "mark" if is_overfit else "",
                        "chosen" if r.get("step") == chosen else "",
                    )
                    if c
                )
            )
        metric = plots._label(record.primary)
        ladder_html = table(
            [
                "step",
                "name",
                "depth",
                "width",
                "parameters",
                "epochs",
                "LR",
                f"train {metric}",
                f"val {metric}",
                "best epoch",
                "overfitting point",
                "findings",
            ],
            rows,
            numeric=(0, 2, 3, 4, 5, 6, 7, 8, 9),
            row_classes=classes,
        )
        if step is None:
            ladder_html += para(
                "No step overfit: validation loss never turned up while training loss fell, so "
                "even the largest network tried may underfit (see the findings)."
            )
    else:
        ladder_html = note("The run recorded no scale-up ladder.")
    curves = ""
    if step is not None and step > 0:
        name = ladder[step].get("name") if step < len(ladder) else f"scale_{step}"
        curves = _curves(
            record,
            name,
            f"Scale-up step {step} (the overfitting point)",
            overfit=epoch,
            best=ladder[step].get("best_epoch") if step < len(ladder) else None,
        )
    elif step is None and len(ladder) > 1:
        last = ladder[-1]
        curves = _curves(
            record,
            last.get("name"),
            f"Scale-up step {last.get('step')} (the largest)",
            overfit=None,
            best=last.get("best_epoch"),
        )
    elif step == 0:
        curves = para("The baseline itself overfits; its curves above mark the point.")
    return sub(
        STAGE_TITLES["scale"],
        para("One row per capacity step, with its train and validation scores at the best epoch.")
        + ladder_html
        + curves
        + _stage_block(record, "scale"),
        "stage-scale",
    )


def _tuning(record: RunRecord) -> str:
    t = record.summary.get("tuning") or {}
    trials = record.trials
    metric = plots._label(record.primary)
    waiting = sum(1 for r in trials if r.get("state") == "WAITING")
    counts = para(
        f"{fmt(t.get('trials', len(trials)))} trial(s): {fmt(t.get('complete', 0))} completed, "
        f"{fmt(t.get('pruned', 0))} pruned, {fmt(t.get('failed', 0))} failed"
        + (f", {waiting} queued but not started before the budget ran out." if waiting else ".")
    )
    done = [
        r for r in trials if r.get("state") == "COMPLETE" and number(r.get("value")) is not None
    ]
    if done:
        done.sort(key=lambda r: number(r["value"]), reverse=record.greater_is_better)
        rows = [
            [
                r["number"],
                number(r["value"]),
                r.get("best_epoch"),
                r.get("seconds"),
                " · ".join(f"{k} {_param(v)}" for k, v in (r.get("params") or {}).items()),
            ]
            for r in done[:BEST_TRIALS_SHOWN]
        ]
        best_trials = table(
            ["trial", f"val {metric}", "best epoch", "seconds", "hyperparameters"],
            rows,
            numeric=(0, 1, 2, 3),
            wrap=(4,),
            row_classes=[
                "mark" if r["number"] == record.best_trial else "" for r in done[:BEST_TRIALS_SHOWN]
            ],
        )
        curve = record.tune.get("curve") or []
        history = figure(
            plots.optimization_history(trials, curve, metric=record.primary),
            "Each completed trial's validation score (dots) and the best so far (line); trials "
            "pruned, failed or cut off by the budget are crosses on the axis.",
        )
    else:
        best_trials = note(
            "No tuning trial completed, so the best network of stages 5–6 went to the final stage."
        )
        history = ""
    importances = t.get("importances") or record.tune.get("importances") or {}
    imp = (
        figure(
            plots.importances(importances),
            "Optuna's fANOVA importance estimate over completed trials.",
        )
        if importances
        else note(
            "Hyperparameter importances need at least 3 completed trials; this run has "
            f"{len(done)}."
        )
    )
    best = record.best_trial
    curves = (
        _curves(
            record,
            f"trial_{best:04d}",
            f"Best trial #{best}",
            overfit=None,
            best=next((r.get("best_epoch") for r in trials if r.get("number") == best), None),
        )
        if best is not None
        else ""
    )
    return sub(
        STAGE_TITLES["tune"],
        counts
        + sub("The best trials", best_trials, level=4)
        + history
        + sub("Hyperparameter importances", imp, level=4)
        + curves
        + _stage_block(record, "tune"),
        "stage-tune",
    )


def _param(value: Any) -> str:
    if isinstance(value, float):
        return fmt(value, 3)
    return "" if value is None else str(value)


def _final_stage(record: RunRecord) -> str:
    final = record.summary.get("final") or {}
    config = final.get("config") or {}
    model, train = config.get("model") or {}, config.get("train") or {}
    rows = [
        ("Approach", str(final.get("approach", "")).replace("_", " ") or None),
        (
            "Network",
            f"{model.get('architecture')} depth {model.get('depth')}, width {model.get('width')}"
            if model
            else None,
        ),
        (
            "Dropout, batch norm",
            f"{fmt(model.get('dropout'), 2)}, {yes_no(model.get('batch_norm'))}" if model else None,
        ),
        (
            "Optimizer",
            f"{train.get('optimizer')} at LR {fmt(train.get('lr'))}, schedule "
            f"{train.get('schedule')}"
            if train
            else None,
        ),
        (
            "Weight decay, L1",
            f"{fmt(train.get('weight_decay'))}, {fmt(train.get('l1'))}" if train else None,
        ),
        ("Batch size", train.get("batch_size")),
        ("Epochs", _final_epochs(record, train)),
        ("Augmentation", ", ".join(train.get("augment") or []) or None),
    ]
    curves = (
        _curves(
            record, "final", "Final model (training + validation data)", overfit=None, best=None
        )
        + para("The final training uses the validation data too, so it has no validation curve.")
        if "final" in record.histories
        else para(
            "The final model was not retrained (its members are the best trial's fold models), "
            "so it has no curve of its own."
            if final.get("approach") != "retrain"
            else "The final training left no history."
        )
    )
    return sub(
        STAGE_TITLES["final"], facts(rows) + curves + _stage_block(record, "final"), "stage-final"
    )


def _final_epochs(record: RunRecord, train: Mapping[str, Any]) -> str | None:
    if "final" in record.histories:
        return f"{len(record.histories['final'])}, retrained on training + validation data"
    if train.get("epochs"):
        stop = train.get("early_stopping_patience")
        return f"up to {train['epochs']}, as in the best trial" + (
            f", with early stopping (patience {stop})" if stop else ""
        )
    return None


def _lr(record: RunRecord) -> str:
    step, _ = _overfit(record)
    ladder = _ladder(record)
    names = {"baseline": "baseline"}
    if step and step < len(ladder):
        names[ladder[step].get("name")] = f"overfit step {step}"
    if record.best_trial is not None:
        names[f"trial_{record.best_trial:04d}"] = f"best trial #{record.best_trial}"
    names["final"] = "final"
    chosen = {label: record.histories[n] for n, label in names.items() if n in record.histories}
    plot = plots.learning_rates(chosen)
    return figure(plot, "Log scale.") if plot else note("No learning rate was recorded per epoch.")
