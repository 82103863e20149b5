"""The series families (FCN, ResNet-1D), the MiniRocket transform, and the linear network."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlpilot.core.enums import Task
from dlpilot.engine import ModelConfig, build_model
from dlpilot.engine.linear import linear_estimator, linear_features, load_linear_weights
from dlpilot.engine.rocket import MiniRocket, fit_minirocket, rocket_transform


def _series(n: int, length: int, seed: int = 0) -> tuple[torch.Tensor, np.ndarray]:
    """Class 1 carries a bump at a random place; class 0 is noise."""
    gen = np.random.default_rng(seed)
    y = gen.integers(0, 2, n)
    x = gen.normal(0, 1, (n, 1, length)).astype(np.float32)
    t = np.arange(length)
    for i in np.flatnonzero(y == 1):
        centre = gen.integers(10, length - 10)
        x[i, 0] += 3 * np.exp(-((t - centre) ** 2) / 8)
    return torch.from_numpy(x), y


@pytest.mark.parametrize(("arch", "params"), [("fcn", 66_626), ("resnet1d", 478_466)])
def test_series_families_keep_the_length_until_the_global_pool(arch, params):
    model = build_model(
        ModelConfig(arch, depth=3, width=64, batch_norm=True), input_shape=(1, 150), n_outputs=2
    )
    assert sum(p.numel() for p in model.parameters()) == params
    assert model(torch.randn(4, 1, 150)).shape == (4, 2)
    # No pooling before the global one: every conv output is as long as the input.
    seen = []
    hooks = [
        m.register_forward_hook(lambda _m, _i, out: seen.append(out.shape[-1]))
        for m in model.modules()
        if isinstance(m, torch.nn.Conv1d)
    ]
    model(torch.randn(2, 1, 150))
    for h in hooks:
        h.remove()
    assert seen and set(seen) == {150}


def test_minirocket_features_are_proportions_rebuilt_from_the_state_dict():
    x, _ = _series(30, 120)
    rocket = MiniRocket(1, 120, seed=3).fit(x, seed=3)
    f = rocket(x)
    assert f.shape == (30, rocket.n_features) and rocket.n_features == 9_996
    assert float(f.min()) >= 0.0 and float(f.max()) <= 1.0
    assert 0.2 < float(f.mean()) < 0.8  # biases sit at quantiles of real convolutions
    again = MiniRocket(1, 120, seed=3)
    again.load_state_dict(rocket.state_dict())
    assert torch.equal(again(x), f)
    other = MiniRocket(1, 120, seed=4).fit(x, seed=4)
    assert not torch.equal(other(x), f)


def test_minirocket_separates_a_planted_shape_that_a_linear_model_on_raw_values_misses():
    from sklearn.linear_model import LogisticRegression, RidgeClassifierCV

    x, y = _series(120, 100, seed=1)
    x_test, y_test = _series(200, 100, seed=2)
    rocket = MiniRocket(1, 100).fit(x)
    ridge = RidgeClassifierCV(np.logspace(-3, 3, 10)).fit(rocket(x).numpy(), y)
    rocket_acc = (ridge.predict(rocket(x_test).numpy()) == y_test).mean()
    raw = LogisticRegression(max_iter=1000).fit(x[:, 0].numpy(), y)
    raw_acc = (raw.predict(x_test[:, 0].numpy()) == y_test).mean()
    assert rocket_acc >= 0.9 and rocket_acc > raw_acc + 0.15


def test_minirocket_reads_several_channels():
    x = torch.randn(10, 3, 64)
    rocket = MiniRocket(3, 64).fit(x)
    assert rocket(x).shape == (10, rocket.n_features)
    assert rocket.channel_masks.sum(dim=-1).min() >= 1


@pytest.mark.parametrize("task", [Task.BINARY, Task.MULTICLASS, Task.REGRESSION])
def test_linear_network_reproduces_the_fitted_estimator(task):
    gen = np.random.default_rng(0)
    x = torch.from_numpy(gen.normal(size=(200, 1, 40)).astype(np.float32))
    w = gen.normal(size=40)
    signal = x[:, 0].numpy() @ w
    if task is Task.REGRESSION:
        y = signal * 10 + 50
    elif task is Task.BINARY:
        y = (signal > 0).astype(np.int64)
    else:
        y = np.digitize(signal, np.quantile(signal, [0.33, 0.66]))
    _name, estimator = linear_estimator(task)
    estimator.fit(linear_features(x), y)
    n_outputs = 3 if task is Task.MULTICLASS else 1
    stats = ([float(y.mean())], [float(y.std())]) if task is Task.REGRESSION else None
    net = build_model(
        ModelConfig("linear"), input_shape=(1, 40), n_outputs=n_outputs, target_stats=stats
    )
    load_linear_weights(net, estimator, task, n_classes=n_outputs)
    with torch.no_grad():
        out = net(x).numpy()
    if task is Task.REGRESSION:
        np.testing.assert_allclose(out[:, 0], estimator.predict(linear_features(x)), atol=1e-3)
    elif task is Task.BINARY:
        p = 1 / (1 + np.exp(-out[:, 0]))
        np.testing.assert_allclose(p, estimator.predict_proba(linear_features(x))[:, 1], atol=1e-4)
    else:
        p = torch.softmax(torch.from_numpy(out), 1).numpy()
        np.testing.assert_allclose(p, estimator.predict_proba(linear_features(x)), atol=1e-4)


def test_linear_features_pool_long_series_to_the_feature_cap():
    x = torch.randn(3, 2, 5000)
    assert linear_features(x).shape == (3, 4096)
    net = build_model(ModelConfig("linear"), input_shape=(2, 5000), n_outputs=1)
    assert net(x).shape == (3, 1)


def test_a_multiclass_linear_model_that_saw_two_classes_keeps_its_probabilities():
    gen = np.random.default_rng(1)
    x = torch.from_numpy(gen.normal(size=(150, 1, 20)).astype(np.float32))
    y = np.where(x[:, 0, 0].numpy() > 0, 2, 0)  # class 1 of 3 never appears
    _name, estimator = linear_estimator(Task.MULTICLASS)
    estimator.fit(linear_features(x), y)
    net = build_model(ModelConfig("linear"), input_shape=(1, 20), n_outputs=3)
    load_linear_weights(net, estimator, Task.MULTICLASS, n_classes=3)
    with torch.no_grad():
        p = torch.softmax(net(x), 1).numpy()
    np.testing.assert_allclose(p[:, [0, 2]], estimator.predict_proba(linear_features(x)), atol=1e-4)
    assert p[:, 1].max() < 1e-6


@pytest.mark.parametrize("task", [Task.BINARY, Task.MULTICLASS, Task.REGRESSION])
def test_the_minirocket_network_is_its_ridge_model_and_rebuilds_from_its_state(task):
    x, y = _series(90, 70, seed=2)
    if task is Task.MULTICLASS:
        y = y + (x[:, 0, :10].mean(1).numpy() > 0)  # three classes
    elif task is Task.REGRESSION:
        y = y * 4.0 + 10
    n_out = 3 if task is Task.MULTICLASS else 1
    stats = ([float(y.mean())], [float(y.std())]) if task is Task.REGRESSION else None
    config = ModelConfig("minirocket", depth=0)
    net = build_model(config, input_shape=(1, 70), n_outputs=n_out, seed=5, target_stats=stats)
    estimator = fit_minirocket(net, x[:60], y[:60], task=task, n_classes=n_out, seed=5)
    transform = rocket_transform(net)
    with torch.no_grad():
        out = net(x[60:]).numpy()
        features = transform(x[60:]).numpy().astype(np.float64)
    if task is Task.REGRESSION:
        np.testing.assert_allclose(out[:, 0], estimator.predict(features), atol=1e-3)
    else:
        np.testing.assert_allclose(
            out.squeeze(1) if n_out == 1 else out, estimator.decision_function(features), atol=1e-3
        )
    # A bundle rebuilds the network from its config (any seed) and loads the state dict.
    again = build_model(config, input_shape=(1, 70), n_outputs=n_out, seed=0, target_stats=stats)
    again.load_state_dict(net.state_dict())
    with torch.no_grad():
        np.testing.assert_allclose(again(x[60:]).numpy(), out, atol=1e-6)


def test_the_minirocket_network_exports_to_onnx_for_batches_beyond_its_chunk(tmp_path):
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    import warnings

    x, y = _series(300, 50, seed=3)
    x = x.repeat(1, 2, 1) + 0.1 * torch.randn(300, 2, 50)  # two channels
    net = build_model(ModelConfig("minirocket"), input_shape=(2, 50), n_outputs=1, seed=1)
    fit_minirocket(net, x, y, task=Task.BINARY, n_classes=1, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            net,
            (x[:2],),
            str(tmp_path / "rocket.onnx"),
            dynamo=False,
            input_names=["x"],
            output_names=["y"],
            dynamic_axes={"x": {0: "N"}, "y": {0: "N"}},
            opset_version=17,
        )
    session = ort.InferenceSession(str(tmp_path / "rocket.onnx"))
    (exported,) = session.run(None, {"x": x.numpy()})
    with torch.no_grad():
        expected = net(x).numpy()
    assert exported.shape == (300, 1)
    np.testing.assert_allclose(exported, expected, atol=1e-4)
