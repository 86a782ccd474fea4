"""A trained starting point for the page ("Start from: trained on ..."): trains one seed network
with plain SGD (no MorphNet penalty) in PyTorch, on the studio's prepared data, and writes its
weights in the studio's tfjs layout as float16 (src/state/pretrained/format.ts reads the file).

    python3 scripts/assets/pretrain.py --spec SPEC.json --dataset mnist --steps 2400 --out FILE

Called by `npm run assets` (scripts/assets/pretrained.ts), which checks the file in tfjs and
writes its checksum and accuracy into public/pretrained/index.json. One thread, seeded: the same
command writes the same bytes.
"""

from __future__ import annotations

import argparse
import json
import math
import struct
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "pytorch" / "morphnet_torch"))

from data import load_studio  # noqa: E402
from model import SpecNet, build_model, load_tfjs_weights  # noqa: E402
from train import SGD_MOMENTUM, Batches, calibrate, evaluate  # noqa: E402

MAGIC = b"MNPT"
VERSION = 1


def tfjs_weights(net: SpecNet) -> dict[str, torch.Tensor]:
    """The model's values keyed `<layer>/<what>` in the studio's layout: the inverse of load_tfjs_weights."""
    out: dict[str, torch.Tensor] = {}
    for i, layer in enumerate(net.layers_spec):
        name, kind = layer["name"], layer["type"]
        if kind == "dense":
            dense = net.blocks[str(i)]
            out[f"{name}/kernel"] = dense.weight.detach().t()
            out[f"{name}/bias"] = dense.bias.detach()
            continue
        if kind not in ("conv", "depthwise"):
            continue
        conv = net.conv(name)
        w = conv.weight.detach()
        if kind == "conv":
            out[f"{name}/kernel"] = w.permute(2, 3, 1, 0)  # [out, in, k, k] -> [k, k, in, out]
        else:
            k, m = w.shape[-1], int(layer.get("multiplier", 1))
            out[f"{name}/kernel"] = w.squeeze(1).permute(1, 2, 0).reshape(k, k, -1, m)
        bn = net.batch_norm(name)
        if bn is None:
            out[f"{name}/bias"] = conv.bias.detach()
        else:
            out[f"{name}/gamma"] = bn.weight.detach()
            out[f"{name}/beta"] = bn.bias.detach()
            out[f"{name}/moving_mean"] = bn.running_mean.detach()
            out[f"{name}/moving_variance"] = bn.running_var.detach()
    return {k: v.contiguous() for k, v in out.items()}


def encode(header: dict, weights: dict[str, torch.Tensor]) -> bytes:
    """MNPT, version u16, 0 u16, header length u32, the header as JSON (padded with spaces to a
    multiple of 4), then every tensor as little-endian float16 in the header's order."""
    tensors = [{"key": k, "shape": list(v.shape)} for k, v in weights.items()]
    text = json.dumps({**header, "encoding": "float16", "tensors": tensors}, separators=(",", ":"))
    text += " " * (-len(text.encode()) % 4)
    payload = b"".join(v.numpy().astype("<f2").tobytes() for v in weights.values())
    return MAGIC + struct.pack("<HHI", VERSION, 0, len(text.encode())) + text.encode() + payload


def as_float16(weights: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    return {k: v.to(torch.float16).to(torch.float32) for k, v in weights.items()}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--spec", type=Path, required=True)
    p.add_argument("--dataset", choices=("mnist", "fashion"), required=True)
    p.add_argument("--data", type=Path, default=ROOT / "public" / "data")
    p.add_argument("--steps", type=int, default=2400)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    spec = json.loads(args.spec.read_text())
    train, test = load_studio(args.data, args.dataset)
    net = build_model(spec)
    assert isinstance(net, SpecNet)
    opt = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=SGD_MOMENTUM)
    # Cosine decay to zero: a constant rate (the studio's, while shrinking) leaves the weights noisy.
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 * (1 + math.cos(math.pi * s / args.steps)))
    batches = Batches(train.count, args.batch, args.seed)
    started = time.perf_counter()
    net.train()
    for step in range(1, args.steps + 1):
        x, y = train.batch(batches.next())
        loss = F.cross_entropy(net(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        if step % 200 == 0 or step == args.steps:
            secs = time.perf_counter() - started
            sys.stderr.write(
                f"\r{spec['name']} {args.dataset}: step {step}/{args.steps} loss {loss.item():.4f} {secs:.0f} s "
            )
    sys.stderr.write("\n")
    # Precise BN: the moving averages become the mean of 50 batches' statistics of the final weights.
    calibrate(net, train, Batches(train.count, args.batch, args.seed + 1), 50, torch.device("cpu"))
    weights = as_float16(tfjs_weights(net))
    # What ships is float16: score those values, loaded back through the tfjs layout (which also
    # checks that the layout round-trips).
    shipped = build_model(spec)
    assert isinstance(shipped, SpecNet)
    load_tfjs_weights(shipped, weights)
    accuracy = evaluate(shipped, test, test.count, 0, 1, torch.device("cpu"))
    header = {
        "format": "morphnet-pretrained",
        "net": spec["name"],
        "dataset": args.dataset,
        "recipe": {"steps": args.steps, "batch": args.batch, "lr": args.lr, "schedule": "cosine", "seed": args.seed},
        "torchTestAccuracy": round(accuracy, 4),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(encode(header, weights))
    secs = time.perf_counter() - started
    print(json.dumps({"seconds": round(secs), "torchTestAccuracy": accuracy, "bytes": args.out.stat().st_size}))
    return 0


if __name__ == "__main__":
    np.seterr(all="raise")
    sys.exit(main())
