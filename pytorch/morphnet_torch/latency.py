"""The latency target: the reference's roofline per op (google-research/morph-net
`resource_function.py`), priced from plan.json's `ops` exactly as the studio's
src/morphnet/latency-ops.ts prices them. Units: FLOPs / (GFLOP/s) and bytes / (GB/s) are ns.

Cost of one op at alive counts A (batch = the latency batch, the reference's batch_size):

    compute = batch·C·A_in·A_out / peak         (depthwise: batch·C·A_out)
    memory  = (Σ_inputs p·batch·A + p_out·batch·A_out + W·A_in·A_out) / bandwidth
              (depthwise weights: W·A_out, what the filter holds, not the reference's W·A_in·A_out)
    latency = max(compute, memory) + the device's per-op overhead (the cost only, never R)

The regularizer takes per op the bound that is active at A (memory when memory > compute, the
reference's tf.cond), with the group sums S of |γ| in place of one A at a time:

    compute: batch·C·(A_in·S_out + A_out·S_in) / peak    (depthwise: batch·C·(S_in + S_out))
    memory:  (Σ_inputs p·batch·S + p_out·batch·S_out + W·(A_in·S_out + A_out·S_in)) / bandwidth
             (depthwise weights: W·S_out)

Both are linear in S, so R = Σ_g w_g·S_g, with w (one channel's marginal cost) a constant.
FLOPs and bytes are whole numbers, exact in float64, each divided once: which bound is active is
decided exactly as the studio decides it.
"""

from __future__ import annotations

import math
from typing import Any

import torch

Plan = dict[str, Any]
Latency = dict[str, Any]  # {"hardware": {"name", "peakGflops", "bandwidthGbs", "opOverheadNs"?}, "batch"}

# The reference's PEAK_COMPUTE (GFLOP/s) and MEMORY_BANDWIDTH (GB/s), as src/morphnet/latency.ts.
REFERENCE_HARDWARE: dict[str, tuple[float, float]] = {
    "K80": (8740, 480),
    "P4": (5500, 192),
    "T4": (8100, 300),
    "P100": (9300, 732),
    "V100": (125000, 900),
    "TPUv2": (22500, 300),
}


def reference_latency(name: str, batch: int = 1) -> Latency:
    """Latency settings for one of the six chips by its exact name."""
    peak, bandwidth = REFERENCE_HARDWARE[name]
    return {"hardware": {"name": name, "peakGflops": peak, "bandwidthGbs": bandwidth}, "batch": batch}


def latency_problem(latency: Any) -> str | None:
    """Why these settings cannot price anything, in one line (src/morphnet/latency.ts's
    latencyProblem), or None when they can."""
    hw = latency.get("hardware") if isinstance(latency, dict) else None
    if not isinstance(hw, dict):
        return "the device to price for is missing"

    def positive(x: Any) -> bool:
        return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) and x > 0

    if not positive(hw.get("peakGflops")):
        return f"the peak compute must be a positive number of GFLOP/s, got {hw.get('peakGflops')}"
    if not positive(hw.get("bandwidthGbs")):
        return f"the memory bandwidth must be a positive number of GB/s, got {hw.get('bandwidthGbs')}"
    o = hw.get("opOverheadNs", 0)
    if not isinstance(o, int | float) or isinstance(o, bool) or not math.isfinite(o) or o < 0:
        return f"the per-op overhead must be a number of nanoseconds ≥ 0, got {o}"
    batch = latency.get("batch")
    if not isinstance(batch, int) or isinstance(batch, bool) or batch < 1:
        return f"the latency batch must be a positive integer, got {batch}"
    return None


def _alive(segments: list[dict[str, Any]], group_alive: list[int] | None) -> int:
    """A tensor's alive channels: static ones always, a group's alive count (None: every channel)."""
    return sum(s["size"] if s["kind"] == "static" or group_alive is None else group_alive[s["group"]] for s in segments)


def op_latency(op: dict[str, Any], group_alive: list[int] | None, latency: Latency) -> dict[str, float]:
    """One op's flops, bytes, computeNs, memoryNs and latencyNs (with the overhead)."""
    hw, batch = latency["hardware"], int(latency["batch"])
    first = op["inputs"][0]["segments"] if op["inputs"] else []
    a_in, a_out = _alive(first, group_alive), _alive(op["output"]["segments"], group_alive)
    pairs = a_out if op["kind"] == "depthwise" else a_in * a_out
    flops = batch * op["flopCoef"] * pairs
    nbytes = op["output"]["payload"] * batch * a_out + op["weightPayload"] * pairs
    nbytes += sum(t["payload"] * batch * _alive(t["segments"], group_alive) for t in op["inputs"])
    compute, memory = flops / hw["peakGflops"], nbytes / hw["bandwidthGbs"]
    return {
        "flops": flops,
        "bytes": nbytes,
        "computeNs": compute,
        "memoryNs": memory,
        "latencyNs": max(compute, memory) + hw.get("opOverheadNs", 0),
    }


def network_latency(ops: list[dict[str, Any]], group_alive: list[int] | None, latency: Latency) -> dict[str, Any]:
    """Per spec layer (the ops it holds summed, in plan order) and in total, in ns."""
    layers: dict[str, dict[str, Any]] = {}
    total = 0.0
    for op in ops:
        c = op_latency(op, group_alive, latency)
        layer = layers.setdefault(
            op["layer"],
            {"name": op["layer"], "latencyNs": 0.0, "computeNs": 0.0, "memoryNs": 0.0, "flops": 0, "bytes": 0},
        )
        for key in ("latencyNs", "computeNs", "memoryNs", "flops", "bytes"):
            layer[key] += c[key]
        total += c["latencyNs"]
    return {"layers": list(layers.values()), "latencyNs": total}


def _incidence(ops: list[dict[str, Any]], groups: int, tensors: str) -> tuple[torch.Tensor, torch.Tensor]:
    """[ops × groups] group segments of each op's first input, output, or all inputs weighted by
    their payload (`tensors`), and per op the static channels so weighted."""
    counts = torch.zeros(len(ops), groups, dtype=torch.float64)
    statics = torch.zeros(len(ops), dtype=torch.float64)
    for i, op in enumerate(ops):
        picked = {
            "first": [(t, 1) for t in op["inputs"][:1]],
            "output": [(op["output"], 1)],
            "inputs": [(t, t["payload"]) for t in op["inputs"]],
        }[tensors]
        for tensor, weight in picked:
            for s in tensor["segments"]:
                if s["kind"] == "static":
                    statics[i] += weight * s["size"]
                else:
                    counts[i, s["group"]] += weight
    return counts, statics


class LatencyTerms:
    """w(A) of the latency regularizer as torch ops on the alive counts, so a step needs no
    readback to the CPU (R = w·S; w carries no gradient, like A)."""

    def __init__(self, plan: Plan, latency: Latency, device: torch.device) -> None:
        ops = plan["ops"]
        groups = len(plan["groups"])
        hw, batch = latency["hardware"], float(latency["batch"])
        self.empty = len(ops) == 0
        self.groups = groups
        self.device = device
        mats = [_incidence(ops, groups, k) for k in ("first", "output", "inputs")]
        (self.p_first, self.s_first), (self.p_out, self.s_out), (self.p_in, self.s_in) = (
            (p.to(device), s.to(device)) for p, s in mats
        )

        def vec(values: list[float]) -> torch.Tensor:
            return torch.tensor(values, dtype=torch.float64, device=device)

        self.dw = torch.tensor([op["kind"] == "depthwise" for op in ops], dtype=torch.bool, device=device)
        self.coef = vec([float(op["flopCoef"]) for op in ops])
        self.out_payload = vec([float(op["output"]["payload"]) for op in ops])
        self.weight_payload = vec([float(op["weightPayload"]) for op in ops])
        self.batch, self.peak, self.bandwidth = batch, float(hw["peakGflops"]), float(hw["bandwidthGbs"])

    def weights(self, alive: torch.Tensor) -> torch.Tensor:
        """w [groups] at alive counts `alive` [groups] (float64, pinned groups full)."""
        if self.empty:
            return torch.zeros(self.groups, dtype=torch.float64, device=self.device)
        alive = alive.detach().to(torch.float64)
        a_in = self.p_first @ alive + self.s_first
        a_out = self.p_out @ alive + self.s_out
        in_channels = self.p_in @ alive + self.s_in  # Σ_inputs p·A per image
        one = torch.ones_like(a_in)
        x_in = torch.where(self.dw, one, a_in)  # A_in as the bilinear terms use it: 1 for depthwise
        x_out = torch.where(self.dw, one, a_out)
        pairs = a_out * x_in
        b = self.batch
        # Whole numbers, as latency-ops.ts forms them, each divided once.
        flops = b * self.coef * pairs
        nbytes = self.out_payload * b * a_out + self.weight_payload * pairs + in_channels * b
        memory_bound = nbytes / self.bandwidth > flops / self.peak  # a tie takes the compute term
        k = b * self.coef / self.peak
        zero = torch.zeros_like(k)
        bw = self.bandwidth
        not_dw_weights = torch.where(self.dw, zero, self.weight_payload * a_out / bw)
        coef_first = torch.where(memory_bound, not_dw_weights, k * x_out)
        coef_out = torch.where(memory_bound, (self.out_payload * b + self.weight_payload * x_in) / bw, k * x_in)
        coef_in = torch.where(memory_bound, torch.full_like(k, b / bw), zero)
        return coef_first @ self.p_first + coef_out @ self.p_out + coef_in @ self.p_in
