"""run.json's settings checked against the limits the studio's import holds them to."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from runfile import import_problems, run_id

SETTINGS = {"strength": 5.0, "threshold": 0.01, "lr": 0.05, "batch": 32, "seed": 1}


def test_settings_the_studio_holds_pass() -> None:
    assert import_problems({"settings": SETTINGS}) == []


def test_settings_outside_the_studio_limits_are_named() -> None:
    record = {"settings": {**SETTINGS, "strength": 0.0, "batch": 1024}}
    assert import_problems(record) == [
        "--strength 0.0 is outside the studio's range 0.01 to 100: its runs list will not import run.json",
        "--batch 1024 is outside the studio's range 1 to 512: its runs list will not import run.json",
    ]


def test_run_ids_are_time_ordered_like_the_studio() -> None:
    # newRunId: `run-${now.getTime().toString(36)}-${8 random hex}`
    assert run_id(1_764_620_000_000).startswith("run-minl6q68-")
    assert len(run_id(0)) == len("run-0-") + 8


@pytest.mark.skipif(importlib.util.find_spec("torchvision") is not None, reason="torchvision is installed")
def test_folder_without_torchvision_says_what_to_install(tmp_path: Path) -> None:
    from data import DataError, load_folder

    with pytest.raises(DataError, match=r"^--dataset folder needs torchvision: pip install torchvision"):
        load_folder(tmp_path, 8, 1)
