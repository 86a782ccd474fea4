"""train.py's learning-rate schedule: the numbers src/morphnet/schedule.test.ts pins for the
studio's learningRateAt, so the two engines train under the same rates."""

from __future__ import annotations

import math

import pytest

from train import lr_at


def test_constant_is_the_peak_at_every_step() -> None:
    assert [lr_at(s, 100, 0.05, "constant", 0) for s in (0, 1, 99)] == [0.05, 0.05, 0.05]


def test_warm_up_is_linear_and_the_first_step_moves() -> None:
    rates = [lr_at(s, 10, 0.2, "constant", 4) for s in (0, 1, 2, 3, 4, 9)]
    assert rates == [0.05, 0.1, 0.15000000000000002, 0.2, 0.2, 0.2]


def test_cosine_after_warm_up_halves_half_way_and_is_not_0_at_the_last_step() -> None:
    assert lr_at(1, 10, 0.1, "cosine", 2) == 0.1
    assert lr_at(2, 10, 0.1, "cosine", 2) == 0.1
    assert lr_at(6, 10, 0.1, "cosine", 2) == pytest.approx(0.05, abs=1e-15)
    assert lr_at(4, 10, 0.1, "cosine", 2) == pytest.approx(0.1 * 0.5 * (1 + math.sqrt(0.5)), abs=1e-15)
    assert lr_at(9, 10, 0.1, "cosine", 2) == 0.0038060233744356634


def test_a_warm_up_as_long_as_the_run_ends_at_the_peak() -> None:
    assert lr_at(5, 5, 0.1, "cosine", 5) == 0.1
