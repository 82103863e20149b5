"""What a user can set for a run (`RunOptions`), normalised once for the CLI, the API and the
estimators: strings become enums, one name becomes a tuple, paths become strings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from dlpilot.core.budget import MIN_BUDGET_SECONDS, parse_budget
from dlpilot.core.enums import MetricName, Modality, ShipPolicy, Task
from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import DEFAULT_LANGUAGE, check_language, msg
from dlpilot.engine.backbones import backbone_for_path, check_backbone_weights
from dlpilot.tuning.storage import HEARTBEAT_SECONDS

# The closed choices among the options, and their enums.
ENUM_OPTIONS: dict[str, type] = {
    "task": Task,
    "modality": Modality,
    "metric": MetricName,
    "ship": ShipPolicy,
}


@dataclass(frozen=True)
class RunOptions:
    """Everything a user can set for a run; plain data, saved in the run directory.

    Build one from what a user typed or passed with `RunOptions.build`; `to_dict` and
    `from_dict` are its form in ``state/run.json`` and in a shared study's record.
    """

    source: str
    target: tuple[str, ...] = ()
    budget_seconds: float = 300.0
    task: Task | None = None
    modality: Modality | None = None
    metric: MetricName | None = None
    positive_class: str | None = None
    group: str | None = None
    drop: tuple[str, ...] = ()
    data_dir: str | None = None
    # A table's delimiter and encoding when detection cannot tell (None: detected).
    sep: str | None = None
    encoding: str | None = None
    # A table of the source's columns to be the sealed test set (labelled or not).
    test: str | None = None
    out: str | None = None
    storage: str | None = None
    study: str | None = None
    seed: int = 0
    trials: int | None = None
    human_error: float | None = None
    threads: int | None = None
    # auto: the better on validation of the network and the linear baseline; network: always
    # the network (the run still says when the linear model was better).
    ship: ShipPolicy = ShipPolicy.AUTO
    heartbeat_seconds: int = HEARTBEAT_SECONDS
    verbose: bool = True
    # Live views (`dlpilot.workflow.live`): "tensorboard", "mlflow" or "mlflow=URI".
    log: tuple[str, ...] = ()
    # Rendering report.html costs a second or two; a run nobody will read (an estimator's
    # temporary run) can skip it. `dlpilot report RUN_DIR` renders it later.
    report: bool = True
    # The language of the report and the narration (`dlpilot.core.messages.LANGUAGES`);
    # summary.json is the same in every language.
    language: str = DEFAULT_LANGUAGE
    # Stage 5's pretrained backbone: None finds the packaged weights (dlpilot[transfer]),
    # "none" turns transfer learning off, a path names a weights file.
    backbone: str | None = None

    @classmethod
    def build(
        cls,
        source: str | Path,
        *,
        target: str | Sequence[str] | None = None,
        budget: str | float = "5m",
        min_budget_seconds: float = MIN_BUDGET_SECONDS,
        **options: Any,
    ) -> RunOptions:
        """Options from what a user gave: ``budget`` as ``"90s"``, ``"10m"`` or seconds (at
        least ``min_budget_seconds``), ``task``/``modality``/``metric`` as strings or enums,
        ``target`` and ``drop`` as one name or several, ``out``/``data_dir`` as paths.
        A `ConfigError` names an unknown option or choice."""
        allowed = {f.name for f in fields(cls)} - {"source", "target", "budget_seconds"}
        unknown = sorted(set(options) - allowed)
        if unknown:
            raise ConfigError(
                msg(
                    "Unknown option(s) {unknown} for dlpilot.run; choose from {allowed}.",
                    unknown=unknown,
                    allowed=sorted(allowed),
                )
            )
        budget_seconds = parse_budget(budget, minimum=min_budget_seconds)
        if options.get("ship") is None:
            options.pop("ship", None)  # None: the default policy
        for name, enum in ENUM_OPTIONS.items():
            if options.get(name) is not None:
                options[name] = parse_choice(enum, name, options[name])
        if "drop" in options:
            options["drop"] = _names(options["drop"])
        if options.get("log") is not None:
            options["log"] = parse_log(_names(options["log"]))
        else:
            options.pop("log", None)
        if options.get("language") is not None:
            options["language"] = check_language(options["language"])
        else:
            options.pop("language", None)
        for name in ("out", "data_dir", "test"):
            if options.get(name) is not None:
                options[name] = str(options[name])
        if options.get("backbone") is not None:
            options["backbone"] = check_backbone_option(str(options["backbone"]))
        return cls(
            source=str(source), target=_names(target), budget_seconds=budget_seconds, **options
        )

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ENUM_OPTIONS:
            d[key] = None if d[key] is None else str(d[key])
        d["target"], d["drop"], d["log"] = list(self.target), list(self.drop), list(self.log)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RunOptions:
        return cls(
            **{
                **d,
                "target": tuple(d.get("target", ())),
                "drop": tuple(d.get("drop", ())),
                "log": tuple(d.get("log", ())),
                **{key: enum(d[key]) if d.get(key) else None for key, enum in ENUM_OPTIONS.items()},
                "ship": ShipPolicy(d.get("ship") or ShipPolicy.AUTO),
            }
        )


# `--log` values, and the pip extra each needs.
LOG_EXTRAS = {"tensorboard": "tensorboard", "mlflow": "mlflow"}
LOG_CHOICES = ("tensorboard", "mlflow", "mlflow=URI")


def parse_log(values: Sequence[str]) -> tuple[str, ...]:
    """``--log`` values checked: ``tensorboard``, ``mlflow`` or ``mlflow=URI``."""
    out = []
    for value in values:
        name = value.split("=", 1)[0].strip().lower()
        if name not in LOG_EXTRAS or (name == "tensorboard" and "=" in value):
            raise ConfigError(
                msg(
                    "--log {value!r} is not a live view dlpilot knows; choose from {choices}.",
                    value=value,
                    choices=", ".join(LOG_CHOICES),
                )
            )
        out.append(name + value.strip()[len(name) :])
    return tuple(out)


def check_backbone_option(value: str) -> str:
    """``--backbone``: ``none``, an image backbone's weights file, or a text backbone's folder
    (weights and vocab.txt); it must load without pickle and fit the backbone (a
    `ConfigError` says what is wrong, before the run starts)."""
    if value.strip().lower() == "none":
        return "none"
    path = Path(value).expanduser()
    if not path.exists():
        raise ConfigError(
            msg(
                "--backbone {path}: no such file or folder; give an image backbone's weights "
                "file (.safetensors or a state dict .pt/.pth), a text backbone's folder "
                "(model.safetensors and vocab.txt), or 'none'.",
                path=value,
            )
        )
    check_backbone_weights(path, backbone_for_path(path))
    return str(path.resolve())


def parse_choice(enum: type, name: str, value: Any) -> Any:
    """``value`` as a member of the str enum ``enum``; a `ConfigError` listing the choices."""
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(str(v) for v in enum)  # type: ignore[attr-defined]
        raise ConfigError(
            msg(
                "Unknown {name} {value!r}; choose one of {choices}.",
                name=name,
                value=value,
                choices=choices,
            )
        ) from None


def _names(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """One name or several, as a tuple."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)
