"""Named thresholds that more than one stage applies, so they always agree.

The README's "Rules and thresholds" section states each of them.
"""

from __future__ import annotations

# Classes are imbalanced when the smallest class holds less than this share of
# what it would hold if all classes were equal: under 25% for two classes,
# under 5% of the samples for ten.
IMBALANCE_SHARE_OF_BALANCED = 0.5


def is_imbalanced(class_counts: dict[str, int] | None) -> bool:
    if not class_counts or len(class_counts) < 2:
        return False
    total = sum(class_counts.values())
    balanced = total / len(class_counts)
    return min(class_counts.values()) < IMBALANCE_SHARE_OF_BALANCED * balanced


# scikit-learn fits on a few thousand rows (drift checks, baselines) run on this many threads:
# they gain nothing from more, and OpenMP/BLAS threads competing with PyTorch's, or with other
# processes on a busy machine, can slow them down a hundredfold.
SMALL_FIT_THREADS = 1


# Below this many training samples the batch is a tenth of them (2 to 16), Fawaz et al.'s
# rule for the UCR series sets (DMKD 2019): a batch of 16 would leave a 40-sample split three
# optimizer steps an epoch. Stage 5 batches so, and stage 7 keeps those sizes in its space.
SMALL_BATCH_BELOW = 160


def small_data_batch_size(n_train: int) -> int:
    return max(2, min(16, n_train // 10))
