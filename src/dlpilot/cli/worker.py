"""`dlpilot worker` and `dlpilot status`: tuning one study from many processes or machines."""

from __future__ import annotations

import json
import signal
import time
from typing import Annotated, Any

import typer
from rich.console import Console

from dlpilot.cli._errors import EXIT_INTERRUPTED, guarded
from dlpilot.cli._options import DataDirOpt, JsonOpt, LangOpt
from dlpilot.core.budget import format_seconds, parse_duration
from dlpilot.core.messages import DEFAULT_LANGUAGE, check_language

StorageOpt = Annotated[
    str,
    typer.Option(
        "--storage",
        help="The study's storage URL, e.g. postgresql://USER:PW@HOST/DB (or sqlite:///FILE).",
        show_default=False,
    ),
]
StudyOpt = Annotated[str, typer.Option("--study", help="The study's name in the storage.")]


@guarded
def worker_command(
    storage: StorageOpt,
    study: StudyOpt = "dlpilot",
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="This machine's copy of the run's data (default: the path the run recorded).",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDirOpt = None,
    threads: Annotated[
        int | None,
        typer.Option(
            "--threads",
            min=1,
            help="CPU threads for training (default: the idle cores).",
            show_default=False,
        ),
    ] = None,
    wait: Annotated[
        str,
        typer.Option("--wait", help="How long to wait for the run to start the study: 30s, 10m."),
    ] = "10m",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the result.")] = False,
    as_json: JsonOpt = False,
    language: LangOpt = DEFAULT_LANGUAGE,
) -> None:
    """Run trials of a study that 'dlpilot run --storage URL --study NAME' started, until it
    has enough; the run that started it trains the final model."""
    from dlpilot.cli._narrator import narrator
    from dlpilot.workflow import work

    # A scheduler's SIGTERM (preemption) ends the worker as Ctrl-C does: its trial is queued again
    # at once rather than after the heartbeat grace period.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        result = work(
            storage,
            study,
            source=source,
            data_dir=str(data_dir) if data_dir else None,
            threads=threads,
            wait_seconds=parse_duration(wait, what="--wait"),
            callback=narrator(quiet=quiet, language=check_language(language)),
        )
    except KeyboardInterrupt:
        Console(stderr=True).print(
            "Interrupted. This worker's running trial is queued again for the other workers."
        )
        raise SystemExit(EXIT_INTERRUPTED) from None
    print_worker_result(result.to_dict(), as_json=as_json)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def print_worker_result(result: dict[str, Any], *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, indent=2, default=str))
        return
    console = Console(highlight=False, soft_wrap=True)
    why = {
        "cap": "the study has all its trials",
        "deadline": "the tuning deadline passed",
        "stopped": "the run closed tuning",
        "closed": "tuning was over already",
        "exhausted": "no trial is left to run",
    }.get(result["ended"], result["ended"])
    console.print(f"worker {result['worker']}: ran {result['ran']} trial(s); stopped because {why}")
    print_status(console, result["status"])


@guarded
def status_command(
    storage: StorageOpt,
    study: StudyOpt = "dlpilot",
    as_json: JsonOpt = False,
) -> None:
    """Show a study's trials (finished, pruned, running, failed), the best so far, and the
    workers seen recently."""
    from dlpilot.tuning import load_existing, open_storage, study_status

    opened = open_storage(storage, heartbeat_seconds=None)
    status = study_status(load_existing(opened, study, storage))
    if as_json:
        print(json.dumps(status, indent=2, default=str))
    else:
        print_status(Console(highlight=False, soft_wrap=True), status)


def print_status(console: Console, s: dict[str, Any]) -> None:
    t = s["trials"]
    cap = f" of {s['trial_cap']}" if s.get("trial_cap") is not None else ""
    console.print(
        f"study {s['study']}"
        + (f" · {s['source']}" if s.get("source") else "")
        + (f" · {s['metric']} ({s['direction']})" if s.get("metric") else "")
    )
    leader = s.get("leader") or {}
    if leader:
        console.print(
            f"  started by {leader.get('worker')} · run directory {leader.get('run_dir')}"
        )
    console.print(
        f"  trials: {t['finished']}{cap} finished ({t['complete']} complete, {t['pruned']} "
        f"pruned) · {t['running']} running · {t['failed']} failed · {t['waiting']} queued"
    )
    best = s.get("best")
    if best:
        params = ", ".join(f"{k}={_short(v)}" for k, v in best["params"].items())
        console.print(
            f"  best: trial {best['number']} · {s.get('metric') or 'value'} {best['value']:.4f}"
            + (f" · by {best['worker']}" if best.get("worker") else "")
            + (f" · {params}" if params else "")
        )
    else:
        console.print("  best: none yet")
    tuning = s["tuning"]
    final = s.get("final")
    if final:
        console.print(
            f"  final model trained by {final.get('worker')} in {final.get('run_dir')} "
            f"({_ago(final.get('finished_unix'))})"
        )
    elif tuning["open"]:
        left = tuning.get("seconds_left")
        console.print(
            "  tuning: open" + (f", {format_seconds(left)} left" if left is not None else "")
        )
    else:
        console.print(
            "  tuning: closed"
            if tuning.get("seconds_left") is not None
            else "  tuning: not started"
        )
    workers = s.get("workers") or []
    console.print(f"  workers seen in the last 10 minutes: {len(workers)}")
    for w in workers:
        running = f" · running trial {', '.join(map(str, w['running']))}" if w["running"] else ""
        seen = w["seconds_since_seen"]
        console.print(
            f"    {w['worker']} ({w['role']}, {w['state']}) · {w['finished']} finished, "
            f"{w['failed']} failed"
            + (f" · seen {format_seconds(seen)} ago" if seen is not None else "")
            + running
        )


def _short(v: Any) -> str:
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def _ago(unix: float | None) -> str:
    return "" if unix is None else f"{format_seconds(time.time() - float(unix))} ago"
