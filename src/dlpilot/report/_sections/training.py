"""Section 5: training, stage by stage, with each stage's learning curves.

The baseline, the scale-up ladder, the tuning trials, the final training and the
learning rate per epoch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dlpilot.core.messages import Msg, Translator, msg
from dlpilot.core.rundir import HISTORY_DIR
from dlpilot.report import _plots as plots
from dlpilot.report._html import decisions, facts, figure, findings, fmt, note, para, sub, table
from dlpilot.report._record import RunRecord, number
from dlpilot.report._sections.common import STAGE_TITLES, yes_no

BEST_TRIALS_SHOWN = 5
# The final stage's approaches that ship models trained during exploration, not retrained.
NOT_RETRAINED = ("fold_ensemble", "best_trial_model")
# The final stage's approaches (`dlpilot.stages.final.Approach`) as the page names them; an
# approach not listed shows as its value with spaces for underscores.
APPROACHES: dict[str, Msg] = {
    "retrain_on_train_and_val": msg("retrain on train and val"),
    "fold_ensemble": msg("fold ensemble"),
    "best_trial_model": msg("best trial model"),
    "linear_baseline_on_train_and_val": msg("linear baseline on train and val"),
    "minirocket_on_train_and_val": msg("minirocket on train and val"),
}


def training_section(record: RunRecord) -> str:
    t = record.t
    return (
        _baseline(record)
        + _scale(record)
        + _tuning(record)
        + _final_stage(record)
        + sub(t("Learning rate per epoch"), _lr(record), "lr")
    )


def _stage_block(record: RunRecord, name: str) -> str:
    t = record.t
    stage = record.stage(name) or {}
    if not stage:
        return note(t("Stage '{name}' left no record.", name=name))
    return decisions(stage.get("decisions", []), t) + findings(stage.get("findings", []), t)


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
    """The learning curves of one history; ``title`` is already in the report's language."""
    t = record.t
    history = record.histories.get(history_name)
    if history is None:
        return note(
            t(
                "No history was recorded for {title} ({file}).",
                title=title.lower(),
                file=f"{HISTORY_DIR}/{history_name}.csv",
            )
        )
    return figure(
        plots.curves(
            history,
            metric=record.primary,
            title=title,
            overfit_epoch=overfit,
            best_epoch=best,
            t=t,
        ),
        _curves_caption(t, overfit, best),
    )


def _curves_caption(t: Translator, overfit: int | None, best: int | None) -> str:
    if overfit and best:
        return t(
            "Dashed: validation loss turns up from epoch {overfit} (overfitting); dotted: the "
            "best epoch by validation, {best}.",
            overfit=overfit,
            best=best,
        )
    if overfit:
        return t(
            "Dashed: validation loss turns up from epoch {overfit} (overfitting).", overfit=overfit
        )
    if best:
        return t("Dotted: the best epoch by validation, {best}.", best=best)
    return ""


def _baseline(record: RunRecord) -> str:
    t = record.t
    ladder = _ladder(record)
    step, epoch = _overfit(record)
    best = ladder[0].get("best_epoch") if ladder else None
    return sub(
        t(STAGE_TITLES["baseline"]),
        _stage_block(record, "baseline")
        + _curves(
            record,
            "baseline",
            t("Baseline network"),
            overfit=epoch if step == 0 else None,
            best=best,
        ),
        "stage-baseline",
    )


def _scale(record: RunRecord) -> str:
    t = record.t
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
                            t("overfits from epoch {epoch}", epoch=epoch)
                            if is_overfit and epoch
                            else "",
                            t("chosen") if r.get("step") == chosen else "",
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
        metric = plots._label(record.primary, t)
        ladder_html = table(
            [
                t("step"),
                t("name"),
                t("depth"),
                t("width"),
                t("parameters"),
                t("epochs"),
                t("LR"),
                t("train {metric}", metric=metric),
                t("val {metric}", metric=metric),
                t("best epoch"),
                t("overfitting point"),
                t("findings"),
            ],
            rows,
            numeric=(0, 2, 3, 4, 5, 6, 7, 8, 9),
            row_classes=classes,
        )
        if step is None:
            ladder_html += para(
                t(
                    "No step overfit: validation loss never turned up while training loss fell, "
                    "so even the largest network tried may underfit (see the findings)."
                )
            )
    else:
        ladder_html = note(t("The run recorded no scale-up ladder."))
    curves = ""
    if step is not None and step > 0:
        name = ladder[step].get("name") if step < len(ladder) else f"scale_{step}"
        curves = _curves(
            record,
            name,
            t("Scale-up step {step} (the overfitting point)", step=step),
            overfit=epoch,
            best=ladder[step].get("best_epoch") if step < len(ladder) else None,
        )
    elif step is None and len(ladder) > 1:
        last = ladder[-1]
        curves = _curves(
            record,
            last.get("name"),
            t("Scale-up step {step} (the largest)", step=last.get("step")),
            overfit=None,
            best=last.get("best_epoch"),
        )
    elif step == 0:
        curves = para(t("The baseline itself overfits; its curves above mark the point."))
    return sub(
        t(STAGE_TITLES["scale"]),
        para(
            t("One row per capacity step, with its train and validation scores at the best epoch.")
        )
        + ladder_html
        + curves
        + _stage_block(record, "scale"),
        "stage-scale",
    )


def _tuning(record: RunRecord) -> str:
    t = record.t
    tuning = record.summary.get("tuning") or {}
    trials = record.trials
    metric = plots._label(record.primary, t)
    waiting = sum(1 for r in trials if r.get("state") == "WAITING")
    counts = {
        "trials": fmt(tuning.get("trials", len(trials))),
        "complete": fmt(tuning.get("complete", 0)),
        "pruned": fmt(tuning.get("pruned", 0)),
        "failed": fmt(tuning.get("failed", 0)),
    }
    counts_html = para(
        t(
            "{trials} trial(s): {complete} completed, {pruned} pruned, {failed} failed, "
            "{waiting} queued but not started before the budget ran out.",
            waiting=waiting,
            **counts,
        )
        if waiting
        else t(
            "{trials} trial(s): {complete} completed, {pruned} pruned, {failed} failed.", **counts
        )
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
            [
                t("trial"),
                t("val {metric}", metric=metric),
                t("best epoch"),
                t("seconds"),
                t("hyperparameters"),
            ],
            rows,
            numeric=(0, 1, 2, 3),
            wrap=(4,),
            row_classes=[
                "mark" if r["number"] == record.best_trial else "" for r in done[:BEST_TRIALS_SHOWN]
            ],
        )
        curve = record.tune.get("curve") or []
        history = figure(
            plots.optimization_history(trials, curve, metric=record.primary, t=t),
            t(
                "Each completed trial's validation score (dots) and the best so far (line); "
                "trials pruned, failed or cut off by the budget are crosses on the axis."
            ),
        )
    else:
        best_trials = note(
            t(
                "No tuning trial completed, so the best network of stages 5–6 went to the final "
                "stage."
            )
        )
        history = ""
    importances = tuning.get("importances") or record.tune.get("importances") or {}
    imp = (
        figure(
            plots.importances(importances, t=t),
            t("Optuna's fANOVA importance estimate over completed trials."),
        )
        if importances
        else note(
            t(
                "Hyperparameter importances need at least 3 completed trials; this run has {n}.",
                n=len(done),
            )
        )
    )
    best = record.best_trial
    curves = (
        _curves(
            record,
            f"trial_{best:04d}",
            t("Best trial #{best}", best=best),
            overfit=None,
            best=next((r.get("best_epoch") for r in trials if r.get("number") == best), None),
        )
        if best is not None
        else ""
    )
    return sub(
        t(STAGE_TITLES["tune"]),
        counts_html
        + sub(t("The best trials"), best_trials, level=4)
        + history
        + sub(t("Hyperparameter importances"), imp, level=4)
        + curves
        + _stage_block(record, "tune"),
        "stage-tune",
    )


def _param(value: Any) -> str:
    if isinstance(value, float):
        return fmt(value, 3)
    return "" if value is None else str(value)


def _final_stage(record: RunRecord) -> str:
    t = record.t
    final = record.summary.get("final") or {}
    config = final.get("config") or {}
    model, train = config.get("model") or {}, config.get("train") or {}
    rows = [
        (t("Approach"), _approach(str(final.get("approach", "")), t)),
        (
            t("Network"),
            t(
                "{architecture} depth {depth}, width {width}",
                architecture=model.get("architecture"),
                depth=model.get("depth"),
                width=model.get("width"),
            )
            if model
            else None,
        ),
        (
            t("Dropout, batch norm"),
            f"{fmt(model.get('dropout'), 2)}, {yes_no(model.get('batch_norm'), t)}"
            if model
            else None,
        ),
        (
            t("Optimizer"),
            t(
                "{optimizer} at LR {lr}, schedule {schedule}",
                optimizer=train.get("optimizer"),
                lr=fmt(train.get("lr")),
                schedule=train.get("schedule"),
            )
            if train
            else None,
        ),
        (
            t("Weight decay, L1"),
            f"{fmt(train.get('weight_decay'))}, {fmt(train.get('l1'))}" if train else None,
        ),
        (t("Batch size"), train.get("batch_size")),
        (t("Epochs"), _final_epochs(record, train)),
        (t("Augmentation"), ", ".join(train.get("augment") or []) or None),
    ]
    if "final" in record.histories:
        curves = _curves(
            record, "final", t("Final model (training + validation data)"), overfit=None, best=None
        ) + para(
            t("The final training uses the validation data too, so it has no validation curve.")
        )
    elif final.get("approach") in NOT_RETRAINED:
        curves = para(
            t(
                "The final model was not retrained (its members are the best trial's fold "
                "models), so it has no curve of its own."
            )
        )
    else:
        curves = para(t("The final training left no history."))
    return sub(
        t(STAGE_TITLES["final"]),
        facts(rows) + curves + _stage_block(record, "final"),
        "stage-final",
    )


def _approach(approach: str, t: Translator) -> str | None:
    name = APPROACHES.get(approach)
    return t(name) if name is not None else approach.replace("_", " ") or None


def _final_epochs(record: RunRecord, train: Mapping[str, Any]) -> str | None:
    t = record.t
    if "final" in record.histories:
        return t("{n}, retrained on training + validation data", n=len(record.histories["final"]))
    if train.get("epochs"):
        stop = train.get("early_stopping_patience")
        if stop:
            return t(
                "up to {epochs}, as in the best trial, with early stopping (patience {stop})",
                epochs=train["epochs"],
                stop=stop,
            )
        return t("up to {epochs}, as in the best trial", epochs=train["epochs"])
    return None


def _lr(record: RunRecord) -> str:
    t = record.t
    step, _ = _overfit(record)
    ladder = _ladder(record)
    names = {"baseline": t("baseline")}
    if step and step < len(ladder):
        names[ladder[step].get("name")] = t("overfit step {step}", step=step)
    if record.best_trial is not None:
        names[f"trial_{record.best_trial:04d}"] = t("best trial #{best}", best=record.best_trial)
    names["final"] = t("final")
    chosen = {label: record.histories[n] for n, label in names.items() if n in record.histories}
    plot = plots.learning_rates(chosen, t=t)
    return (
        figure(plot, t("Log scale."))
        if plot
        else note(t("No learning rate was recorded per epoch."))
    )
