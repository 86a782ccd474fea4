"""The latency target: for the same spec, γ and device, latency.py and morphnet.py give the
studio's R, gradient, per-layer cost and seed latency (src/morphnet/latency-ops.ts, computed by
fixtures.ts) on a memory-bound device (V100) and a compute-bound one; and one op worked by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import torch
from test_regularizer import with_gammas

from conftest import NETWORKS, load_studio
from latency import LatencyTerms, latency_problem, network_latency, op_latency, reference_latency
from model import SpecNet, build_model
from morphnet import MorphNetRegularizer

torch.set_num_threads(1)


def regularizer(studio: dict[str, Any], case: dict[str, Any], device: dict[str, Any]) -> MorphNetRegularizer:
    model = build_model(studio["spec"])
    assert isinstance(model, SpecNet)
    with_gammas(model, case["gammas"])
    return MorphNetRegularizer(
        model, studio["plan"], target="latency", threshold=case["threshold"], strength=2.0, latency=device["latency"]
    )


@pytest.mark.parametrize("name", NETWORKS)
def test_devices_are_memory_bound_and_compute_bound(studio_dir: Path, name: str) -> None:
    """What the two devices are there for: V100 prices every op by its bytes, the other its 3×3 convs by FLOPs."""
    v100, slow = load_studio(studio_dir, name)["gammas"][0]["latency"]
    assert v100["memoryBound"] == v100["ops"] > 0
    assert 0 < slow["memoryBound"] < slow["ops"]


@pytest.mark.parametrize("name", NETWORKS)
def test_latency_regularizer_and_cost_equal_the_studio(studio_dir: Path, name: str) -> None:
    studio = load_studio(studio_dir, name)
    for case in studio["gammas"]:
        for device in case["latency"]:
            reg = regularizer(studio, case, device)
            assert device["regularizer"] > 0
            assert float(reg.value().detach()) == pytest.approx(device["regularizer"], rel=1e-9)
            assert reg.seed_cost() == pytest.approx(device["seedNs"], rel=1e-12)
            assert float(reg.loss().detach()) == pytest.approx(2.0 * device["regularizer"] / device["seedNs"], rel=1e-6)
            cost = reg.latency_cost()
            assert cost is not None
            expected = device["cost"]
            assert cost["latencyNs"] == pytest.approx(expected["latencyNs"], rel=1e-12)
            assert [layer["name"] for layer in cost["layers"]] == [layer["name"] for layer in expected["layers"]]
            for got, want in zip(cost["layers"], expected["layers"], strict=True):
                assert (got["flops"], got["bytes"]) == (want["flops"], want["bytes"])
                for key in ("latencyNs", "computeNs", "memoryNs"):
                    assert got[key] == pytest.approx(want[key], rel=1e-12, abs=1e-12), (got["name"], key)


@pytest.mark.parametrize("name", NETWORKS)
def test_latency_gradient_is_the_studio_marginal_cost(studio_dir: Path, name: str) -> None:
    studio = load_studio(studio_dir, name)
    case = studio["gammas"][1]
    for device in case["latency"]:
        reg = regularizer(studio, case, device)
        reg.value().backward()
        for layer, marginal in device["marginal"].items():
            bn = reg.net.batch_norm(layer)
            assert bn is not None and bn.weight.grad is not None
            expected = torch.tensor(marginal, dtype=torch.float64) * torch.sign(bn.weight.detach().double())
            torch.testing.assert_close(bn.weight.grad.double(), expected, rtol=1e-6, atol=0.0)


@pytest.mark.parametrize("name", NETWORKS)
def test_a_learned_network_prices_strength_by_its_seed(studio_dir: Path, name: str) -> None:
    """The unit of strength is the seed's latency, not the learned network's, as in the studio."""
    path = studio_dir / name / "learned-plan.json"
    if not path.exists():
        pytest.skip("the first γ set leaves no network")
    plan = json.loads(path.read_text())
    studio = load_studio(studio_dir, name)
    slow = studio["gammas"][0]["latency"][1]
    model = build_model(studio["gammas"][0]["pruned"]["spec"])
    reg = MorphNetRegularizer(model, plan, target="latency")  # the device from plan.json
    assert reg.latency == slow["latency"]
    assert reg.seed_cost() == pytest.approx(slow["seedNs"], rel=1e-12)
    full = reg.latency_cost()
    assert full is not None and full["latencyNs"] < slow["seedNs"]


# One conv (2×2 map, 3×3 kernel) from group 0 (3 of its channels alive) to group 1 (4 alive), batch 2:
# FLOPs 2·36·3·4 = 864; bytes 2·16·3 + 2·16·4 + 36·3·4 = 656.
HAND: dict[str, Any] = {
    "groups": [{"id": 0, "size": 5, "pinned": False}, {"id": 1, "size": 6, "pinned": False}],
    "ops": [
        {
            "layer": "conv",
            "kind": "conv",
            "inputs": [{"payload": 16, "segments": [{"kind": "group", "group": 0, "size": 5}]}],
            "output": {"payload": 16, "segments": [{"kind": "group", "group": 1, "size": 6}]},
            "weightPayload": 36,
            "flopCoef": 36,
        }
    ],
}


def device(peak: float, bandwidth: float, overhead: float = 0) -> dict[str, Any]:
    hardware = {"name": "hand", "peakGflops": peak, "bandwidthGbs": bandwidth, "opOverheadNs": overhead}
    return {"hardware": hardware, "batch": 2}


def test_one_conv_worked_by_hand() -> None:
    alive = torch.tensor([3.0, 4.0], dtype=torch.float64)
    # 100 GFLOP/s, 10 GB/s: memory 656 / 10 = 65.6 ns beats compute 8.64 ns. One channel of
    # group 0 is read (2·16) and multiplies 4 filters (36·4): 176 / 10; of group 1, (2·16 + 36·3) / 10.
    memory = device(100, 10, overhead=5)
    c = op_latency(HAND["ops"][0], [3, 4], memory)
    assert (c["flops"], c["bytes"]) == (864, 656)
    assert c["latencyNs"] == pytest.approx(65.6 + 5)
    w = LatencyTerms(HAND, memory, torch.device("cpu")).weights(alive)
    torch.testing.assert_close(w, torch.tensor([17.6, 14.0], dtype=torch.float64))
    # 1,000 GB/s: compute 8.64 ns beats memory 0.656 ns; k = 2·36 / 100 = 0.72 per channel pair.
    compute = device(100, 1000)
    assert network_latency(HAND["ops"], [3, 4], compute)["latencyNs"] == pytest.approx(8.64)
    w = LatencyTerms(HAND, compute, torch.device("cpu")).weights(alive)
    torch.testing.assert_close(w, torch.tensor([0.72 * 4, 0.72 * 3], dtype=torch.float64))


def test_the_mixed_networks_stem_on_a_v100_by_hand(studio_dir: Path) -> None:
    """stem: 9×9×3 → 5×5×6 by a 3×3 conv (2·5·5·9·3·6 = 8,100 FLOPs, 0.0648 ns at 125,000 GFLOP/s),
    batch norm and ReLU: (972 + 600 + 648) + (600 + 600) + (600 + 600) = 4,620 bytes, 5.1333 ns at 900 GB/s."""
    plan = load_studio(studio_dir, "mixed")["plan"]
    stem = network_latency(plan["ops"], None, reference_latency("V100"))["layers"][0]
    assert (stem["name"], stem["flops"], stem["bytes"]) == ("stem", 8100, 4620)
    assert stem["latencyNs"] == pytest.approx(4620 / 900)
    assert stem["computeNs"] == pytest.approx(8100 / 125000)


def test_bad_devices_are_named_in_the_studios_words() -> None:
    assert latency_problem(None) == "the device to price for is missing"
    assert latency_problem(device(0, 10)) == "the peak compute must be a positive number of GFLOP/s, got 0"
    assert latency_problem(device(1, -1)) == "the memory bandwidth must be a positive number of GB/s, got -1"
    assert latency_problem({**device(1, 1), "batch": 0}) == "the latency batch must be a positive integer, got 0"
    assert latency_problem(device(1, 1)) is None
