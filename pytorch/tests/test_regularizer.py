"""(a) For the same spec and γ, morphnet.py gives the studio's R, gradient, alive counts,
structure file and cost (src/morphnet, computed by fixtures.ts)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from conftest import NETWORKS, load_studio
from model import SpecNet, build_model
from morphnet import MorphNetRegularizer


def with_gammas(model: SpecNet, gammas: dict[str, list[float]]) -> None:
    with torch.no_grad():
        for layer, values in gammas.items():
            bn = model.batch_norm(layer)
            assert bn is not None, layer
            bn.weight.copy_(torch.tensor(values, dtype=torch.float32))


@pytest.mark.parametrize("name", NETWORKS)
def test_regularizer_alive_and_cost_equal_the_studio(studio_dir: Path, name: str) -> None:
    studio = load_studio(studio_dir, name)
    model = build_model(studio["spec"])
    assert isinstance(model, SpecNet)
    for case in studio["gammas"]:
        with_gammas(model, case["gammas"])
        for target in ("flops", "size"):
            reg = MorphNetRegularizer(model, studio["plan"], target=target, threshold=case["threshold"], strength=2.0)
            expected = case["regularizer"][target]
            assert expected > 0
            assert float(reg.value().detach()) == pytest.approx(expected, rel=1e-6)
            seed = studio["cost"]["flops" if target == "flops" else "params"]
            assert float(reg.loss().detach()) == pytest.approx(2.0 * expected / seed, rel=1e-6)
        assert reg.alive_by_layer() == case["alive"]
        assert reg.structure_text() == case["structure"]
        assert reg.cost() == {"flops": case["cost"]["flops"], "params": case["cost"]["params"]}


@pytest.mark.parametrize("name", NETWORKS)
def test_gradient_is_the_studio_marginal_cost(studio_dir: Path, name: str) -> None:
    """∂R/∂γ = sign(γ) · marginal cost, ties in a group's max going to its first member."""
    studio = load_studio(studio_dir, name)
    model = build_model(studio["spec"])
    assert isinstance(model, SpecNet)
    case = studio["gammas"][0]
    with_gammas(model, case["gammas"])
    reg = MorphNetRegularizer(model, studio["plan"], target="flops", threshold=case["threshold"])
    reg.value().backward()
    for layer, marginal in case["marginal"].items():
        bn = model.batch_norm(layer)
        assert bn is not None and bn.weight.grad is not None
        expected = torch.tensor(marginal, dtype=torch.float64) * torch.sign(bn.weight.detach().double())
        torch.testing.assert_close(bn.weight.grad.double(), expected, rtol=1e-6, atol=0.0)
