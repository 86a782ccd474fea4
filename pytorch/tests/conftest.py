"""Shared fixtures: the studio's numbers, computed once per session by fixtures.ts (npx tsx)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "pytorch" / "morphnet_torch"
NETWORKS = ["resnet-mini", "plain-cnn", "inception-mini", "mixed"]
# The .py files are the same for every network (only spec.json and plan.json differ), so the
# tests import them once from the sources and hand each network's data in.
sys.path.insert(0, str(SOURCES))


@pytest.fixture(scope="session")
def studio_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("studio")
    subprocess.run(["npx", "tsx", "pytorch/tests/fixtures.ts", str(out)], cwd=ROOT, check=True)
    return out


def load_studio(studio_dir: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((studio_dir / name / "studio.json").read_text())
    data["plan"] = json.loads((studio_dir / name / "pkg" / "plan.json").read_text())
    return data
