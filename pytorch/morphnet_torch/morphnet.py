"""The MorphNet regularizer over the batch-norm scales γ, applied from plan.json.

plan.json is the studio's own regularizer plan (src/morphnet/plan.ts, written by
`morphnet export`): the groups of tied channels (adds, depthwise), every cost-bearing layer's
input and output segments and its FLOP and size coefficients. Nothing here decides a grouping;
this file only evaluates the formula of MORPHNET.md §3 with torch ops:

    R = Σ_t C_t · (A_in,t · S_out,t + A_out,t · S_in,t)     (depthwise: C_t · (S_in,t + S_out,t))

where S sums the group's |γ| vector (the elementwise max over its members) and A counts its
channels with |γ| strictly above the threshold; A carries no gradient. The latency target
(latency.py) prices plan.json's `ops` on a device instead: R = Σ_g w_g(A)·S_g.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import torch
from torch import nn

from latency import Latency, LatencyTerms, latency_problem, network_latency
from model import HERE, SpecNet

Target = Literal["flops", "size", "latency"]
Plan = dict[str, Any]


def load_plan(path: Path | str | None = None) -> Plan:
    """plan.json beside this file, or the plan file at `path`."""
    with open(path if path is not None else HERE / "plan.json", encoding="utf-8") as f:
        plan: Plan = json.load(f)
    return plan


def _incidence(plan: Plan, side: str) -> tuple[torch.Tensor, torch.Tensor]:
    """[terms × groups]: how often a group's segment appears on a term's side; and its static channels."""
    groups, terms = len(plan["groups"]), len(plan["terms"])
    counts = torch.zeros(terms, groups, dtype=torch.float64)
    statics = torch.zeros(terms, dtype=torch.float64)
    for t, term in enumerate(plan["terms"]):
        for seg in term[side]:
            if seg["kind"] == "static":
                statics[t] += seg["size"]
            else:
                counts[t, seg["group"]] += 1
    return counts, statics


def _segments_alive(segments: list[dict[str, Any]], group_alive: list[int]) -> int:
    return sum(s["size"] if s["kind"] == "static" else group_alive[s["group"]] for s in segments)


class MorphNetRegularizer:
    """R(γ) of a model built by model.build_model, for one target, threshold and strength.

    `strength` is in units of 1 / F(seed), as in the studio: loss() = strength / F(seed) · R.
    `latency`: the device and latency batch to price for (plan.json's `latency` if not given);
    needed by target "latency", and with it `latency_cost()` works under any target.
    """

    def __init__(
        self,
        model: nn.Module,
        plan: Plan | None = None,
        target: Target = "flops",
        threshold: float = 1e-2,
        strength: float = 5.0,
        latency: Latency | None = None,
    ) -> None:
        net = getattr(model, "module", model)  # a DistributedDataParallel wrapper holds the net
        if not isinstance(net, SpecNet):
            raise TypeError("MorphNetRegularizer needs a model made by model.build_model")
        if target not in ("flops", "size", "latency"):
            raise ValueError(f"target must be flops, size or latency, got {target!r}")
        self.net = net
        self.plan = plan if plan is not None else load_plan()
        self.latency: Latency | None = latency if latency is not None else self.plan.get("latency")
        if self.latency is None and target == "latency":
            raise ValueError("target latency needs the device to price for (peak GFLOP/s, bandwidth GB/s)")
        problem = None if self.latency is None else latency_problem(self.latency)
        if problem is not None:
            raise ValueError(f"latency: {problem}")
        self.target: Target = target
        self.threshold = threshold
        self.strength = strength
        device = next(net.parameters()).device
        self._pin, self._static_in = (x.to(device) for x in _incidence(self.plan, "input"))
        self._pout, self._static_out = (x.to(device) for x in _incidence(self.plan, "output"))
        terms = self.plan["terms"]
        self._is_dw = torch.tensor([t["kind"] == "depthwise" for t in terms], device=device)
        self._coef = {
            "flops": torch.tensor([float(t["flopCoef"]) for t in terms], dtype=torch.float64, device=device),
            "size": torch.tensor([float(t["sizeCoef"]) for t in terms], dtype=torch.float64, device=device),
        }
        self._pinned = torch.tensor([bool(g["pinned"]) for g in self.plan["groups"]], device=device)
        self._sizes = torch.tensor([float(g["size"]) for g in self.plan["groups"]], dtype=torch.float64, device=device)
        if self.latency is not None and "ops" not in self.plan:
            raise ValueError("plan.json has no ops to price latency with: export the package again")
        self._latency = None if self.latency is None else LatencyTerms(self.plan, self.latency, device)
        # The seed's latency with every channel alive, from the seed's own ops when the network is
        # not the seed (a learned or expanded one): the unit of `strength` under target latency.
        seed_ops: list[dict[str, Any]] = self.plan.get("seedOps") or self.plan.get("ops") or []
        self._seed_latency: float | None = None
        if self.latency is not None:
            self._seed_latency = float(network_latency(seed_ops, None, self.latency)["latencyNs"])

    def _gamma(self, layer: str) -> torch.Tensor:
        bn = self.net.batch_norm(layer)
        if bn is None or bn.weight is None:
            raise ValueError(f"plan names layer {layer!r}, which has no batch norm in the model")
        return bn.weight

    def group_vectors(self) -> list[torch.Tensor]:
        """Each group's |γ|: the elementwise max over what feeds it (§4).

        A member feeds its whole |γ|, or, where the plan gives it a slice (a depthwise layer with
        a multiplier, or one cut along a concat), channel i takes |γ[offset + i·m + j]| for j < m.
        torch.maximum splits the gradient of a tie in two; where(a >= b) gives all of it to the
        first, as the studio's left fold of tf.maximum does (every γ starts at 1: ties are the rule).
        """
        vectors = []
        for group in self.plan["groups"]:
            size, members = int(group["size"]), group["members"]
            slices = group.get("slices") or [{"offset": 0, "multiplier": 1}] * len(members)
            feeds: list[torch.Tensor] = []
            for name, part in zip(members, slices, strict=True):
                start, m = int(part["offset"]), int(part["multiplier"])
                piece = self._gamma(name).abs()[start : start + size * m].reshape(size, m)
                feeds.extend(piece[:, j] for j in range(m))
            v = feeds[0]
            for other in feeds[1:]:
                v = torch.where(v >= other, v, other)
            vectors.append(v)
        return vectors

    def _alive_and_sums(self) -> tuple[torch.Tensor, torch.Tensor]:
        vectors = self.group_vectors()
        device = self._coef["flops"].device
        if not vectors:
            empty = torch.zeros(0, dtype=torch.float64, device=device)
            return empty, empty
        # Strictly greater, in γ's own float32 (§1.2); the counts are constants for backprop.
        alive = torch.stack([(v.detach() > self.threshold).sum() for v in vectors]).to(torch.float64)
        # Sums of a few hundred |γ| times coefficients up to 1e5 keep their digits in float64.
        sums = torch.stack([v.to(torch.float64).sum() for v in vectors])
        return alive, sums

    def value(self) -> torch.Tensor:
        """R in resource units (FLOPs, parameters or ns), float64, on the autograd tape."""
        alive, sums = self._alive_and_sums()
        if self.target == "latency":
            assert self._latency is not None
            # A pinned group is always fully alive (groupAliveCounts); its S appears in no segment.
            return (self._latency.weights(torch.where(self._pinned, self._sizes, alive)) * sums).sum()
        one = torch.ones_like(self._static_in)
        a_in = torch.where(self._is_dw, one, self._pin @ alive + self._static_in)
        a_out = torch.where(self._is_dw, one, self._pout @ alive + self._static_out)
        s_in, s_out = self._pin @ sums, self._pout @ sums
        return (self._coef[self.target] * (a_in * s_out + a_out * s_in)).sum()

    def seed_cost(self) -> float:
        """F(seed) under the target: the unit of `strength`."""
        if self.target == "latency":
            assert self._seed_latency is not None
            return self._seed_latency if self._seed_latency > 0 else 1.0
        cost = self.plan["seedCost"]
        return max(1.0, float(cost["flops"] if self.target == "flops" else cost["params"]))

    def loss(self, value: torch.Tensor | None = None) -> torch.Tensor:
        """strength / F(seed) · R, in γ's dtype: add it to the task loss. `value`: R if already computed."""
        r = self.value() if value is None else value
        return (r * (self.strength / self.seed_cost())).to(self._gamma_dtype())

    def _gamma_dtype(self) -> torch.dtype:
        groups = self.plan["groups"]
        return self._gamma(groups[0]["members"][0]).dtype if groups else torch.float32

    def group_alive(self) -> list[int]:
        """Alive channels per group; a pinned group (tied to the image, say) is always fully alive."""
        with torch.no_grad():
            vectors = self.group_vectors()
        return [
            int(g["size"]) if g["pinned"] else int((v > self.threshold).sum())
            for g, v in zip(self.plan["groups"], vectors, strict=True)
        ]

    def alive_by_layer(self) -> dict[str, int]:
        """Alive output channels of every conv and depthwise layer, by layer name (the studio's map)."""
        group_alive = self.group_alive()
        return {s["layer"]: _segments_alive(s["output"], group_alive) for s in self.plan["structure"]}

    def alive_counts(self) -> dict[str, int]:
        """The reference's map: `<layer>/Conv2D` (or `/depthwise`) to its alive count (§6)."""
        group_alive = self.group_alive()
        return {s["key"]: _segments_alive(s["output"], group_alive) for s in self.plan["structure"]}

    def structure_text(self) -> str:
        """The text of a learned_structure/alive_<step> file: keys sorted, indented by 2."""
        return json.dumps(self.alive_counts(), indent=2, sort_keys=True)

    def cost(self) -> dict[str, int]:
        """FLOPs and parameters at the alive widths (MORPHNET.md §2)."""
        group_alive = self.group_alive()
        flops = params = 0
        for term in self.plan["terms"]:
            a_in = _segments_alive(term["input"], group_alive)
            a_out = _segments_alive(term["output"], group_alive)
            channels = a_out if term["kind"] == "depthwise" else a_in * a_out
            flops += int(term["flopCoef"]) * channels
            params += int(term["sizeCoef"]) * channels
        return {"flops": flops, "params": params}

    def latency_cost(self) -> dict[str, Any] | None:
        """Predicted latency in ns at the alive widths, per spec layer and in total (`latencyNs`),
        on the device given; None without one."""
        if self.latency is None:
            return None
        return network_latency(self.plan["ops"], self.group_alive(), self.latency)
