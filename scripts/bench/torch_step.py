"""Times training steps of an exported MorphNet package (morphnet export --format pytorch) in
eager PyTorch on the CPU: the same network, batch, optimizer (SGD, momentum 0.9) and loss
(cross-entropy + strength / F(seed) * R) as the studio's step. Prints one JSON line.

python3 scripts/bench/torch_step.py PACKAGE_DIR --batch 32 --steps 10 --threads 2
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import torch
import torch.nn.functional as F


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("package")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--strength", type=float, default=5.0)
    p.add_argument("--threshold", type=float, default=0.01)
    p.add_argument("--target", default="flops")
    args = p.parse_args()
    sys.path.insert(0, args.package)
    from model import build_model  # noqa: PLC0415 (the package is only known at run time)
    from morphnet import MorphNetRegularizer, load_plan  # noqa: PLC0415

    torch.manual_seed(1)
    torch.set_num_threads(args.threads)
    net = build_model()
    plan = load_plan()
    reg = MorphNetRegularizer(net, plan, target=args.target, threshold=args.threshold, strength=args.strength)
    opt = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=0.9)
    with open(f"{args.package}/spec.json") as f:
        spec = json.load(f)
    shape = (args.batch, spec["input"]["channels"], spec["input"]["height"], spec["input"]["width"])
    x = torch.rand(shape)
    y = torch.randint(0, spec["classes"], (args.batch,))
    net.train()
    times: list[float] = []
    for i in range(args.warmup + args.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(x), y) + reg.loss()
        loss.backward()
        opt.step()
        if i >= args.warmup:
            times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"stepMs": times, "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
