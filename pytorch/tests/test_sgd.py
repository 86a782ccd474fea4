"""The training step: three steps of train.py's train_step from the studio's weights give the
task loss, R and weights of three steps of the studio's own session (fixtures.ts, tfjs cpu)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch

from conftest import load_studio
from model import SpecNet, build_model, load_tfjs_weights
from morphnet import MorphNetRegularizer
from train import SGD_MOMENTUM, train_step


def tensors(weights: dict[str, dict[str, Any]]) -> dict[str, torch.Tensor]:
    return {k: torch.tensor(w["values"], dtype=torch.float32).reshape(w["shape"]) for k, w in weights.items()}


@pytest.mark.parametrize(("run", "fall"), [("sgd", 0.85), ("sgdLatency", 0.95)])
def test_three_steps_equal_the_studio_session(studio_dir: Path, run: str, fall: float) -> None:
    """Towards FLOPs, and towards latency on a device where some ops are compute-bound and some
    memory-bound (the engine's differentiable latency regularizer against latency.py's)."""
    studio = load_studio(studio_dir, "mixed")
    sgd, spec = studio[run], studio["spec"]
    if "error" in sgd:
        pytest.fail(f"the studio's own session failed in fixtures.ts: {sgd['error']}")
    model = build_model(spec)
    assert isinstance(model, SpecNet)
    load_tfjs_weights(model, tensors(studio["tfjs"]["weights"]))
    s = sgd["settings"]
    reg = MorphNetRegularizer(
        model, studio["plan"], s["target"], threshold=s["threshold"], strength=s["strength"], latency=s.get("latency")
    )
    opt = torch.optim.SGD(model.parameters(), lr=s["lr"], momentum=SGD_MOMENTUM)
    inp = spec["input"]
    nhwc = torch.tensor(sgd["images"], dtype=torch.uint8).reshape(-1, inp["height"], inp["width"], inp["channels"])
    images = nhwc.permute(0, 3, 1, 2).to(torch.float32) / 255.0
    labels = torch.tensor(sgd["labels"], dtype=torch.int64)
    model.train()
    for expected in sgd["steps"]:
        task, accuracy, r = train_step(model, reg, opt, [(images, labels)], torch.device("cpu")).tolist()
        assert task == pytest.approx(expected["taskLoss"], rel=1e-5)
        assert r == pytest.approx(expected["regValue"], rel=1e-5)
        assert accuracy == expected["trainAccuracy"]

    # The regularizer did work: R fell (by a fifth towards FLOPs, 7% towards latency), so a wrong
    # strength or gradient shows here.
    assert sgd["steps"][2]["regValue"] < fall * sgd["steps"][0]["regValue"]
    after = tensors(sgd["weights"])
    # The studio's weights after its steps, loaded into a second model so the layouts line up.
    load_back = build_model(spec)
    assert isinstance(load_back, SpecNet)
    load_tfjs_weights(load_back, after)
    theirs = dict(load_back.named_parameters())
    for name, p in model.named_parameters():
        torch.testing.assert_close(p.detach(), theirs[name].detach(), rtol=1e-4, atol=1e-5, msg=name)
