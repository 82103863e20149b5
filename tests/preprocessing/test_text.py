"""Text: a vocabulary of the training split, token ids padded to one length."""

from __future__ import annotations

import pandas as pd
import torch

from dlpilot.core.enums import Modality, Task
from dlpilot.core.records import ProblemSpec
from dlpilot.preprocessing import fit_preparer
from dlpilot.preprocessing.text import PAD_ID, UNKNOWN_ID


def test_text_vocabulary_comes_from_the_training_split_only():
    train = pd.DataFrame({"review": ["good film good plot", "bad film bad acting", "good good"]})
    spec = ProblemSpec(
        task=Task.BINARY,
        modality=Modality.TEXT,
        n_samples=3,
        n_features=1,
        input_shape=(1,),
        target_names=("y",),
        class_names=("0", "1"),
        feature_columns=("review",),
    )
    prep = fit_preparer(train, None, spec)
    assert prep.vocab_size == 2 + 3  # padding, unknown, then good, bad, film
    ids = prep.transform(pd.DataFrame({"review": ["superb film", "good"]}))
    assert ids.dtype == torch.int64 and ids.shape == (2, prep.input_shape[0])
    assert ids[0, 0].item() == UNKNOWN_ID  # 'superb' was never seen in training
    assert ids[0, 1].item() == prep.index_["film"]
    assert ids[1, 1].item() == PAD_ID
