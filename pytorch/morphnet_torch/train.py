"""Train the network with the MorphNet regularizer: `python train.py ...` on one process, or
`torchrun --nproc_per_node N train.py ...` with DistributedDataParallel (gloo on CPU, NCCL on
GPUs). The same optimizer as the studio (SGD, momentum 0.9; the learning rate constant, or a
cosine after a linear warm-up with --schedule cosine --warmup N) on cross-entropy +
strength / F(seed) · R, towards FLOPs, size, or latency on a device (plan.json's, or --hardware,
or --peak-gflops and --bandwidth-gbs; F(seed) is then the seed's latency there). Writes
learned_structure/alive_<step> in the reference format at each evaluation and run.json (a studio
run file) at the end.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any, NoReturn

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from data import DataError, Split, load_folder, load_studio
from latency import REFERENCE_HARDWARE, Latency, latency_problem, reference_latency
from model import HERE, SpecNet, build_model, load_spec
from morphnet import MorphNetRegularizer, load_plan
from runfile import import_problems, run_record

SGD_MOMENTUM = 0.9
READ_EVERY = 10  # steps between readbacks for the curves, as the studio's CLI
EVAL_LIMIT = 1000  # test examples at intermediate evaluations; the last one uses them all
EVAL_CALIBRATE = 20  # training batches that re-estimate batch-norm statistics before evaluating


class Parser(argparse.ArgumentParser):
    """argparse with its errors as one line and exit code 2, like the studio's CLI."""

    def error(self, message: str) -> NoReturn:
        fail(message)


def fail(message: str) -> NoReturn:
    if os.environ.get("RANK", "0") == "0":
        sys.stderr.write(f"train.py: {message}\n")
    sys.exit(2)


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return int(text)


def non_negative_int(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}")
    return int(text)


def positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not value > 0 or math.isinf(value):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return value


def non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not value >= 0 or math.isinf(value):
        raise argparse.ArgumentTypeError(f"must be a number >= 0, got {text!r}")
    return value


def one_of(*names: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        if text not in names:
            raise argparse.ArgumentTypeError(f"must be {', '.join(names[:-1])} or {names[-1]}, got {text!r}")
        return text

    return check


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = Parser(prog="train.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add = p.add_argument
    add("--data", type=Path, default=Path("public/data"), metavar="DIR", help="studio data folder, or ImageFolder root")
    add("--dataset", type=one_of("mnist", "fashion", "folder"), default="mnist", help="mnist, fashion or folder")
    add("--image-size", type=positive_int, metavar="N", help="side the images of --dataset folder are resized to")
    add("--steps", type=positive_int, default=300, metavar="N", help="training steps (300)")
    add("--batch", type=positive_int, default=32, metavar="B", help="global batch over all processes (32)")
    add("--accumulate", type=positive_int, default=1, metavar="N", help="micro-batches per process and step (1)")
    add("--lr", type=positive, default=0.05, help="learning rate, the peak under a schedule (0.05)")
    add("--schedule", type=one_of("constant", "cosine"), default="constant", help="constant or cosine (constant)")
    add("--warmup", type=non_negative_int, default=0, metavar="N", help="steps of linear warm-up to --lr (0)")
    add("--target", type=one_of("flops", "size", "latency"), default="flops", help="flops, size or latency (flops)")
    add("--hardware", type=one_of(*REFERENCE_HARDWARE), help="the chip latency is priced for (plan.json's device)")
    add("--peak-gflops", type=positive, metavar="X", help="or your device's peak compute in GFLOP/s ...")
    add("--bandwidth-gbs", type=positive, metavar="Y", help="... and its memory bandwidth in GB/s")
    add("--latency-batch", type=positive_int, metavar="B", help="images per priced forward pass (plan.json's, or 1)")
    add("--strength", type=non_negative, default=5.0, metavar="K", help="regularizer strength × 1 / F(seed) (5)")
    add("--threshold", type=non_negative, default=0.01, metavar="T", help="|γ| at or below T is dead (0.01)")
    add("--seed", type=non_negative_int, default=1, metavar="S", help="initialization and data order (1)")
    add("--eval-every", type=positive_int, default=100, metavar="N", help="evaluate and save alive counts (100)")
    add("--sync-bn", action="store_true", help="batch statistics over all GPUs (CUDA only)")
    add("--jsonl", action="store_true", help="print each readback as a JSON line on stdout")
    add("--out", type=Path, required=True, metavar="DIR", help="where learned_structure/ and run.json go")
    args = p.parse_args(argv)
    if args.dataset == "folder" and args.image_size is None:
        fail("--dataset folder needs --image-size")
    if args.hardware is not None and (args.peak_gflops is not None or args.bandwidth_gbs is not None):
        fail("give --hardware or --peak-gflops and --bandwidth-gbs, not both")
    if (args.peak_gflops is None) != (args.bandwidth_gbs is None):
        fail("--peak-gflops and --bandwidth-gbs go together: the device's compute and its bandwidth")
    return args


def latency_settings(args: argparse.Namespace, plan: dict[str, Any]) -> Latency | None:
    """The device latency is priced for: the flags', else plan.json's (a latency run's export),
    with --latency-batch over its batch; None when neither names one."""
    planned: Latency | None = plan.get("latency")
    batch = args.latency_batch or (planned["batch"] if planned is not None else 1)
    if args.hardware is not None:
        return reference_latency(args.hardware, batch)
    if args.peak_gflops is not None:
        hardware = {"name": "custom", "peakGflops": args.peak_gflops, "bandwidthGbs": args.bandwidth_gbs}
        return {"hardware": hardware, "batch": batch}
    if planned is None:
        if args.target == "latency":
            fail("--target latency needs the device to price for: --hardware, or --peak-gflops and --bandwidth-gbs")
        if args.latency_batch is not None:
            fail("--latency-batch needs the device to price for: --hardware, or --peak-gflops and --bandwidth-gbs")
        return None
    latency = {**planned, "batch": batch}
    problem = latency_problem(latency)
    if problem is not None:
        fail(f"plan.json's latency: {problem}")
    return latency


def load_data(args: argparse.Namespace, spec: dict[str, Any]) -> tuple[Split, Split]:
    inp = spec["input"]
    try:
        if args.dataset == "folder":
            train, test = load_folder(args.data, args.image_size, inp["channels"])
        else:
            train, test = load_studio(args.data, args.dataset)
    except DataError as e:
        fail(str(e))
    shape = tuple(train.images.shape[1:])
    if shape != (inp["channels"], inp["height"], inp["width"]) or train.classes != spec["classes"]:
        fail(
            f"the network takes {inp['height']}x{inp['width']}x{inp['channels']} images in {spec['classes']} classes, "
            f"the data has {shape[1]}x{shape[2]}x{shape[0]} in {train.classes}"
        )
    return train, test


class Batches:
    """Seeded shuffled epochs (the last partial batch dropped), the same on every process."""

    def __init__(self, count: int, batch: int, seed: int) -> None:
        self.count, self.batch = count, batch
        self.gen = torch.Generator().manual_seed(seed)
        self.per_epoch = count // batch
        self.step = 0
        self.order = torch.randperm(count, generator=self.gen)

    def next(self) -> torch.Tensor:
        k = self.step % self.per_epoch
        if k == 0 and self.step > 0:
            self.order = torch.randperm(self.count, generator=self.gen)
        self.step += 1
        return self.order[k * self.batch : (k + 1) * self.batch]


def lr_at(step: int, steps: int, lr: float, schedule: str, warmup: int) -> float:
    """The learning rate of 0-based step `step` of `steps`, as src/morphnet/schedule.ts computes it:
    a linear warm-up lr·(step+1)/warmup over the first `warmup` steps, then constant, or a cosine
    from lr down to 0 at step `steps` (so the last step still moves)."""
    if step < warmup:
        return lr * (step + 1) / warmup
    if schedule == "constant" or steps <= warmup:
        return lr
    return lr * 0.5 * (1 + math.cos(math.pi * (step - warmup) / (steps - warmup)))


def my_part(indices: torch.Tensor, rank: int, world: int, accumulate: int) -> list[torch.Tensor]:
    """This process's micro-batches of a global batch: rank r takes the r-th of `world` equal
    slices and cuts it in `accumulate` pieces, so 2 processes × 1 and 1 process × 2 see the same
    micro-batches (batch norm's statistics are per micro-batch unless --sync-bn)."""
    local = indices.tensor_split(world)[rank]
    return list(local.tensor_split(accumulate))


def train_step(
    model: nn.Module,
    reg: MorphNetRegularizer,
    opt: torch.optim.Optimizer,
    parts: list[tuple[torch.Tensor, torch.Tensor]],
    device: torch.device,
    ddp: bool = False,
) -> torch.Tensor:
    """One optimizer step on this process's micro-batches (gradients averaged over them, and over
    the processes by DDP). Returns the mean task loss, training accuracy and R before the step,
    as the studio's step reports them."""
    opt.zero_grad(set_to_none=True)
    stats = torch.zeros(3, dtype=torch.float64, device=device)
    for i, (images, labels) in enumerate(parts):
        x, y = images.to(device), labels.to(device)
        last = i == len(parts) - 1
        with model.no_sync() if ddp and not last else nullcontext():  # type: ignore[operator]
            logits = model(x)
            task = F.cross_entropy(logits, y)
            r = reg.value()
            ((task + reg.loss(r)) / len(parts)).backward()
        correct = (logits.argmax(1) == y).double().mean()
        stats += torch.stack([task.detach().double(), correct, r.detach()])
    opt.step()
    return stats / len(parts)


def calibrate(net: SpecNet, train: Split, batches: Batches, n: int, device: torch.device) -> None:
    """Precise BN: the moving averages become the equal-weight mean of n batches' statistics."""
    norms = [m for m in net.modules() if isinstance(m, _BatchNorm)]
    saved = [m.momentum for m in norms]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # PyTorch's cumulative average
    net.train()
    with torch.no_grad():
        for _ in range(n):
            net(train.batch(batches.next())[0].to(device))
    for m, momentum in zip(norms, saved, strict=True):
        m.momentum = momentum


def evaluate(net: SpecNet, test: Split, limit: int, rank: int, world: int, device: torch.device) -> float:
    """Accuracy on the first `limit` test examples, each process scoring its share."""
    net.eval()
    n = min(limit, test.count)
    mine = torch.arange(n).tensor_split(world)[rank]
    correct = torch.zeros((), dtype=torch.float64, device=device)
    with torch.no_grad():
        for part in mine.split(500):
            x, y = test.batch(part)
            correct += (net(x.to(device)).argmax(1) == y.to(device)).sum()
    if world > 1:
        dist.all_reduce(correct)
    net.train()
    return float(correct) / n if n > 0 else math.nan


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    if args.batch % (world * args.accumulate) != 0:
        processes = f"{world} process{'es' if world > 1 else ''}"
        fail(f"--batch {args.batch} must split evenly over {processes} × --accumulate {args.accumulate}")
    cuda = torch.cuda.is_available()
    if args.sync_bn and not cuda:
        fail("--sync-bn needs CUDA GPUs (PyTorch's SyncBatchNorm does not run on CPU)")
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', '0'))}" if cuda else "cpu")
    spec, plan = load_spec(HERE / "spec.json"), load_plan(HERE / "plan.json")
    latency = latency_settings(args, plan)
    train, test = load_data(args, spec)
    if args.batch > train.count:
        fail(f"--batch {args.batch} is larger than the {train.count} training examples")
    if world > 1:
        if cuda:
            torch.cuda.set_device(device)
        dist.init_process_group("nccl" if cuda else "gloo")

    torch.manual_seed(args.seed)  # the same initial weights on every process
    net = build_model(spec).to(device)
    if args.sync_bn:
        net = nn.SyncBatchNorm.convert_sync_batchnorm(net)
    assert isinstance(net, SpecNet)
    model: nn.Module = net
    if world > 1:
        model = nn.parallel.DistributedDataParallel(net, device_ids=[device.index] if cuda else None)
    reg = MorphNetRegularizer(
        net, plan, target=args.target, threshold=args.threshold, strength=args.strength, latency=latency
    )
    opt = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=SGD_MOMENTUM)
    batches = Batches(train.count, args.batch, (args.seed ^ 0x5BD1E995) & 0xFFFFFFFF)
    calibration = Batches(train.count, args.batch, (args.seed ^ 0x2545F491) & 0xFFFFFFFF)
    structure_dir = args.out / "learned_structure"
    if rank == 0:
        try:
            structure_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            fail(f"cannot create {structure_dir}: {e.strerror or e}")

    curve: list[dict[str, Any]] = []
    started = time.perf_counter()
    test_accuracy = math.nan
    for step in range(1, args.steps + 1):
        for group in opt.param_groups:
            group["lr"] = lr_at(step - 1, args.steps, args.lr, args.schedule, args.warmup)
        parts = [train.batch(p) for p in my_part(batches.next(), rank, world, args.accumulate)]
        stats = train_step(model, reg, opt, parts, device, ddp=world > 1)
        if world > 1:
            dist.all_reduce(stats)
            stats /= world
        eval_now = step % args.eval_every == 0 or step == args.steps
        if step % READ_EVERY != 0 and not eval_now:
            continue
        r = float(stats[2])
        point: dict[str, Any] = {
            "step": step,
            "taskLoss": float(stats[0]),
            "regLoss": r * args.strength / reg.seed_cost(),
            "regValue": r,
            "trainAccuracy": float(stats[1]),
            **reg.cost(),
        }
        priced = reg.latency_cost()
        if priced is not None:
            point["latencyNs"] = priced["latencyNs"]
        if eval_now:
            calibrate(net, train, calibration, EVAL_CALIBRATE, device)
            test_accuracy = evaluate(net, test, test.count if step == args.steps else EVAL_LIMIT, rank, world, device)
            point["testAccuracy"] = test_accuracy
            if rank == 0:
                (structure_dir / f"alive_{step}").write_text(reg.structure_text())
        curve.append(point)
        if rank == 0:
            report(point, args.steps, started, reg.plan["seedCost"]["flops"], args.jsonl)

    seconds = time.perf_counter() - started
    if rank == 0:
        record = run_record(args, spec, plan, curve, reg.alive_by_layer(), reg.cost(), test_accuracy, world, latency)
        (args.out / "run.json").write_text(json.dumps(record, indent=2) + "\n")
        for problem in import_problems(record):
            sys.stderr.write(f"warning: {problem}\n")
        where = f"{world} x {device.type}"
        sys.stderr.write(f"done: {args.steps} steps in {seconds:.0f} s on {where}; wrote {args.out / 'run.json'}\n")
    if world > 1:
        # Both ranks leave together: under gloo a rank that tears its group down while the other is
        # still writing run.json can abort it (SIGABRT), and torchrun then calls a finished run failed.
        dist.barrier()
        dist.destroy_process_group()
    return 0


def report(point: dict[str, Any], steps: int, started: float, seed_flops: int, jsonl: bool) -> None:
    if jsonl:
        # Strict JSON for any reader (JSON.parse has no NaN): a diverged loss is null.
        line = {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in point.items()}
        sys.stdout.write(json.dumps({**line, "steps": steps}) + "\n")
        sys.stdout.flush()
    rate = point["step"] / max(time.perf_counter() - started, 1e-9)
    test = f"  test {100 * point['testAccuracy']:.1f}%" if "testAccuracy" in point else ""
    sys.stderr.write(
        f"step {point['step']}/{steps}  {rate:.2f} steps/s  loss {point['taskLoss']:.3f}  "
        f"FLOPs {100 * point['flops'] / max(seed_flops, 1):.1f}%{test}\n"
    )


if __name__ == "__main__":
    sys.exit(main())
