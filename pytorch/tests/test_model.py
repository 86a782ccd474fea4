"""(b) PyTorch's own FLOP counter on model.py agrees with the studio's cost model, layer by
layer; (c) the studio's tfjs weights give the studio's logits (fixtures.ts)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from conftest import NETWORKS, load_studio
from model import SpecNet, build_model, load_tfjs_weights


def layer_flops(model: SpecNet) -> dict[str, int]:
    """FLOPs per spec layer as FlopCounterMode counts them (conv and linear), for one image."""
    inp = model.spec["input"]
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model.eval()(torch.zeros(1, inp["channels"], inp["height"], inp["width"]))
    counts = counter.get_flop_counts()
    out = {}
    for layer in model.layers_spec:
        if layer["type"] in ("conv", "depthwise", "dense"):
            per_op = counts.get(f"SpecNet.blocks.{model.index[layer['name']]}", {})
            out[layer["name"]] = int(sum(per_op.values()))
    return out


def studio_flops(cost: dict[str, Any]) -> dict[str, int]:
    return {entry["name"]: entry["flops"] for entry in cost["layers"]}


@pytest.mark.parametrize("name", NETWORKS)
def test_flop_counter_equals_the_studio_cost_model(studio_dir: Path, name: str) -> None:
    studio = load_studio(studio_dir, name)
    model = build_model(studio["spec"])
    assert isinstance(model, SpecNet)
    counted = layer_flops(model)
    assert counted == studio_flops(studio["cost"])
    assert sum(counted.values()) == studio["cost"]["flops"]


@pytest.mark.parametrize("name", NETWORKS)
def test_model_at_alive_widths_costs_what_the_studio_says(studio_dir: Path, name: str) -> None:
    """The network at a learned structure's widths (export --alive): built, then counted."""
    studio = load_studio(studio_dir, name)
    case = studio["gammas"][0]
    assert case["pruned"] is not None
    model = build_model(case["pruned"]["spec"])
    assert isinstance(model, SpecNet)
    counted = layer_flops(model)
    assert counted == studio_flops(case["pruned"]["cost"])
    # Nothing removed at these γ, so the narrower network costs what the alive counts cost.
    assert sum(counted.values()) == case["cost"]["flops"]
    params = sum(p.numel() for n, p in model.named_parameters() if n.endswith("weight") and p.dim() > 1)
    assert params == case["cost"]["params"]


@pytest.mark.parametrize("name", NETWORKS)
@pytest.mark.parametrize("mode", ["inference", "training"])
def test_tfjs_weights_give_the_tfjs_logits(studio_dir: Path, name: str, mode: str) -> None:
    studio = load_studio(studio_dir, name)
    tfjs = studio["tfjs"]
    model = build_model(studio["spec"])
    assert isinstance(model, SpecNet)
    weights = {
        k: torch.tensor(w["values"], dtype=torch.float32).reshape(w["shape"]) for k, w in tfjs["weights"].items()
    }
    load_tfjs_weights(model, weights)
    nhwc = torch.tensor(tfjs["input"]["values"], dtype=torch.float32).reshape(tfjs["input"]["shape"])
    model.train(mode == "training")
    with torch.no_grad():
        logits = model(nhwc.permute(0, 3, 1, 2).contiguous())
    expected = torch.tensor(tfjs["logits"][mode], dtype=torch.float32).reshape(logits.shape)
    assert expected.abs().max() > 0.1  # not a degenerate network
    torch.testing.assert_close(logits, expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("name", ["resnet-mini", "mixed"])
def test_the_exported_folder_works_as_its_readme_says(studio_dir: Path, name: str) -> None:
    """build_model() and MorphNetRegularizer(model) with no paths read spec.json and plan.json beside them."""
    studio = load_studio(studio_dir, name)
    inp = studio["spec"]["input"]
    script = (
        "import json, torch\n"
        "from model import build_model\n"
        "from morphnet import MorphNetRegularizer\n"
        "model = build_model()\n"
        "reg = MorphNetRegularizer(model, target='size', threshold=0.01, strength=1.0)\n"
        f"logits = model.eval()(torch.zeros(2, {inp['channels']}, {inp['height']}, {inp['width']}))\n"
        "print(json.dumps({'shape': list(logits.shape), 'cost': reg.cost(), 'alive': reg.alive_counts(),\n"
        "                  'loss': float(reg.loss().detach()), 'value': float(reg.value().detach())}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=studio_dir / name / "pkg", capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["shape"] == [2, studio["spec"]["classes"]]
    assert out["cost"] == {"flops": studio["cost"]["flops"], "params": studio["cost"]["params"]}
    # Every γ starts at 1, so every channel is alive; loss() is strength (1) / F(seed) under size · R.
    assert all(n > 0 for n in out["alive"].values())
    assert out["loss"] == pytest.approx(out["value"] / studio["cost"]["params"], rel=1e-6)
