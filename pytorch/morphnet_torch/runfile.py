"""run.json: a training run as a studio run file (format "morphnet-run", version 1), which the
studio's runs list imports (src/state/runs/record.ts and validate.ts define the format)."""

from __future__ import annotations

import argparse
import math
import secrets
import time
from datetime import datetime, timezone
from typing import Any

# The studio's settings, held to the same limits its import checks (src/state/url.ts).
BUILTIN_NETS = ("resnet-mini", "plain-cnn", "inception-mini")
LIMITS = {"strength": (0.01, 100), "threshold": (1e-4, 0.5), "lr": (1e-5, 1), "batch": (1, 512), "seed": (0, 2**31 - 1)}
STUDIO_DATASETS = ("mnist", "fashion")


def _reading(x: float) -> float | None:
    """JSON has no NaN: a diverged loss is written as null, which the studio reads as NaN."""
    return None if math.isnan(x) else x


def run_id(now_ms: int) -> str:
    """The studio's id shape: time-ordered, then random."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    n, base36 = now_ms, ""
    while n:
        n, d = divmod(n, 36)
        base36 = digits[d] + base36
    return f"run-{base36 or '0'}-{secrets.token_hex(4)}"


def run_record(
    args: argparse.Namespace,
    spec: dict[str, Any],
    plan: dict[str, Any],
    curve: list[dict[str, Any]],
    alive: dict[str, int],
    cost: dict[str, int],
    test_accuracy: float,
    world: int,
    latency: dict[str, Any] | None = None,
) -> dict[str, Any]:
    now_ms = int(time.time() * 1000)
    stamp = datetime.fromtimestamp(now_ms / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    net = plan.get("net")
    # The run format has no entry for a folder of images yet: such a run is filed under the
    # studio's own image set (shapes) and its name says which folder it was.
    dataset = args.dataset if args.dataset in STUDIO_DATASETS else "shapes"
    where = f"{world} processes" if world > 1 else "1 process"
    data_name = args.dataset if args.dataset != "folder" else f"folder {args.data}"
    target = {"flops": "FLOPs", "size": "size", "latency": "latency"}[args.target]
    return {
        "format": "morphnet-run",
        "version": 1,
        "id": run_id(now_ms),
        "name": f"{spec['name']} · {data_name} · {target} · seed {args.seed} · PyTorch, {where}",
        "pinned": False,
        "createdAt": stamp,
        "updatedAt": stamp,
        "origin": "studio",
        "group": None,
        "settings": {
            "backend": "auto",
            "net": net if net in BUILTIN_NETS else BUILTIN_NETS[0],
            "dataset": dataset,
            "target": args.target,
            "strength": args.strength,
            "threshold": args.threshold,
            "lr": args.lr,
            "batch": args.batch,
            "seed": args.seed,
        },
        "importedSpec": net not in BUILTIN_NETS,
        "seedSpec": plan["seedSpec"],
        "spec": spec,
        "seedCost": {"flops": plan["seedCost"]["flops"], "params": plan["seedCost"]["params"]},
        "step": args.steps,
        "cycle": 0,
        "history": [],
        "metrics": {
            "curve": [
                {
                    "cycle": 0,
                    "step": p["step"],
                    "taskLoss": _reading(p["taskLoss"]),
                    "regLoss": _reading(p["regLoss"]),
                    "trainAccuracy": _reading(p["trainAccuracy"]),
                }
                for p in curve
            ],
            "costCurve": [{"cycle": 0, "step": p["step"], "flops": p["flops"], "params": p["params"]} for p in curve],
            "testCurve": [
                {"cycle": 0, "step": p["step"], "accuracy": _reading(p["testAccuracy"])}
                for p in curve
                if "testAccuracy" in p
            ],
        },
        "alive": alive,
        "cost": cost,
        "testAccuracy": None if math.isnan(test_accuracy) else test_accuracy,
        # The studio's backends are its tfjs ones; a PyTorch run names none of them.
        "backend": None,
        # A latency run's device and latency batch, as the studio keeps them (its runs list
        # shows the predicted latency there); FLOPs and size runs carry none.
        **({"latency": latency} if args.target == "latency" and latency is not None else {}),
    }


def import_problems(record: dict[str, Any]) -> list[str]:
    """Settings the studio's sliders cannot hold, so its runs list would refuse the file."""
    out = []
    for key, (low, high) in LIMITS.items():
        value = record["settings"][key]
        if not low <= value <= high:
            out.append(
                f"--{key} {value} is outside the studio's range {low} to {high}: its runs list will not import run.json"
            )
    return out
