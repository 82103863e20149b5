"""The training engine: models, heads and losses, the training loop, callbacks, LR finder.

Knows nothing of stages or Optuna; imports only `dlpilot.core`.
"""

from dlpilot.engine._weights import split_shared
from dlpilot.engine.callbacks import (
    Callback,
    Checkpoint,
    EarlyStopping,
    HistoryRecorder,
    Mode,
    MonitorCallback,
    ProgressBar,
    TimeLimit,
    TrainerState,
)
from dlpilot.engine.config import (
    Activation,
    Architecture,
    Augmentation,
    ModelConfig,
    OptimizerName,
    Precision,
    ScheduleName,
    TrainConfig,
)
from dlpilot.engine.data import TensorData, augment_batch
from dlpilot.engine.heads import (
    Rescale,
    make_loss,
    output_size,
    prior_logits,
    scores_from_outputs,
    target_stats_from,
    target_stats_of,
)
from dlpilot.engine.lr_finder import LRFinderResult, find_lr
from dlpilot.engine.models import (
    TRANSFER_ARCHITECTURES,
    build_model,
    default_architecture,
    default_model_config,
    load_state_dict,
)
from dlpilot.engine.trainer import (
    EpochMetric,
    FitResult,
    fit,
    make_optimizer,
    predict_scores,
    resolve_precision,
)

__all__ = [
    "TRANSFER_ARCHITECTURES",
    "Activation",
    "Architecture",
    "Augmentation",
    "Callback",
    "Checkpoint",
    "EarlyStopping",
    "EpochMetric",
    "FitResult",
    "HistoryRecorder",
    "LRFinderResult",
    "Mode",
    "ModelConfig",
    "MonitorCallback",
    "OptimizerName",
    "Precision",
    "ProgressBar",
    "Rescale",
    "ScheduleName",
    "TensorData",
    "TimeLimit",
    "TrainConfig",
    "TrainerState",
    "augment_batch",
    "build_model",
    "default_architecture",
    "default_model_config",
    "find_lr",
    "fit",
    "load_state_dict",
    "make_loss",
    "make_optimizer",
    "output_size",
    "predict_scores",
    "prior_logits",
    "resolve_precision",
    "scores_from_outputs",
    "split_shared",
    "target_stats_from",
    "target_stats_of",
]
