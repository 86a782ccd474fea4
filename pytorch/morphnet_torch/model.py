"""The studio's network, built from spec.json (the studio's network-spec format).

Same semantics as the studio's tfjs engine (src/engine/model.ts): TensorFlow "same" padding
(the extra row and column of an even total pad go after, as TensorFlow puts them), conv and
depthwise without bias followed by batch norm (epsilon 1e-3, moving averages with weight 0.9 on
the old value) and ReLU, a bias instead of batch norm for `bn: false`, add, concat along
channels, maxpool, global average pool, dense. Input is NCHW float32, output the logits.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

HERE = Path(__file__).resolve().parent
BN_EPSILON = 1e-3
# The studio keeps 0.9 of the old average per step; PyTorch's momentum weighs the new batch.
BN_MOMENTUM = 1 - 0.9

Spec = dict[str, Any]
Layer = dict[str, Any]


def load_spec(path: Path | str | None = None) -> Spec:
    """spec.json beside this file, or the spec file at `path`."""
    with open(path if path is not None else HERE / "spec.json", encoding="utf-8") as f:
        spec: Spec = json.load(f)
    return spec


def layer_inputs(layer: Layer) -> list[str]:
    src = layer["from"]
    return [src] if isinstance(src, str) else list(src)


def layer_stride(layer: Layer) -> int:
    default = layer["kernel"] if layer["type"] == "maxpool" else 1
    return int(layer["stride"]) if "stride" in layer else int(default)


def has_relu(layer: Layer, is_last: bool) -> bool:
    """The spec's defaults: ReLU on conv, depthwise, add, and on dense except the logits."""
    if layer["type"] in ("conv", "depthwise", "add"):
        return bool(layer.get("relu", True))
    if layer["type"] == "dense":
        return bool(layer.get("relu", not is_last))
    return False


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """TensorFlow's "same": output ceil(size / stride); an odd total pad puts the extra one after."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class SamePad(nn.Module):
    """Pads H and W as TensorFlow's "same" does for a kernel and stride at a fixed input size."""

    def __init__(self, height: int, width: int, kernel: int, stride: int, value: float = 0.0) -> None:
        super().__init__()
        top, bottom = same_padding(height, kernel, stride)
        left, right = same_padding(width, kernel, stride)
        self.pad = (left, right, top, bottom)
        self.value = value

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not any(self.pad):
            return x
        return F.pad(x, self.pad, value=self.value)


class SpecNet(nn.Module):
    """The network of a spec: one submodule per layer, run in spec order."""

    def __init__(self, spec: Spec) -> None:
        super().__init__()
        self.spec = spec
        self.layers_spec: list[Layer] = list(spec["layers"])
        # Module names may not contain "/" or ".": keys are the layer's index, names kept here.
        self.blocks = nn.ModuleDict()
        self.index = {layer["name"]: str(i) for i, layer in enumerate(self.layers_spec)}
        inp = spec["input"]
        shapes: dict[str, tuple[int, int, int]] = {"input": (inp["channels"], inp["height"], inp["width"])}
        for i, layer in enumerate(self.layers_spec):
            ins = [shapes[n] for n in layer_inputs(layer)]
            block, out = self._make(layer, ins)
            shapes[layer["name"]] = out
            if block is not None:
                self.blocks[str(i)] = block

    def conv(self, name: str) -> nn.Conv2d:
        """The convolution of a conv or depthwise layer."""
        block = self.blocks[self.index[name]]
        assert isinstance(block, nn.Sequential)
        return next(m for m in block if isinstance(m, nn.Conv2d))

    def batch_norm(self, name: str) -> _BatchNorm | None:
        """A layer's batch norm, looked up each time: SyncBatchNorm conversion replaces the modules."""
        block = self.blocks[self.index[name]]
        if not isinstance(block, nn.Sequential):
            return None
        return next((m for m in block if isinstance(m, _BatchNorm)), None)

    def _make(self, layer: Layer, ins: list[tuple[int, int, int]]) -> tuple[nn.Module | None, tuple[int, int, int]]:
        c, h, w = ins[0]
        kind = layer["type"]
        if kind in ("conv", "depthwise"):
            k, s = int(layer["kernel"]), layer_stride(layer)
            out_c = int(layer["filters"]) if kind == "conv" else c * int(layer.get("multiplier", 1))
            bn = bool(layer.get("bn", True))
            conv = nn.Conv2d(c, out_c, k, stride=s, groups=1 if kind == "conv" else c, bias=not bn)
            nn.init.kaiming_normal_(conv.weight, mode="fan_in", nonlinearity="relu")
            if conv.bias is not None:
                nn.init.zeros_(conv.bias)
            parts: list[nn.Module] = [SamePad(h, w, k, s), conv]
            if bn:
                parts.append(nn.BatchNorm2d(out_c, eps=BN_EPSILON, momentum=BN_MOMENTUM))
            return nn.Sequential(*parts), (out_c, math.ceil(h / s), math.ceil(w / s))
        if kind == "maxpool":
            k, s = int(layer["kernel"]), layer_stride(layer)
            # TensorFlow's max pool never picks a padded value: pad with -inf.
            pool = nn.Sequential(SamePad(h, w, k, s, value=-math.inf), nn.MaxPool2d(k, s))
            return pool, (c, math.ceil(h / s), math.ceil(w / s))
        if kind == "dense":
            dense = nn.Linear(c, int(layer["units"]))
            nn.init.kaiming_normal_(dense.weight, mode="fan_in", nonlinearity="relu")
            nn.init.zeros_(dense.bias)
            return dense, (int(layer["units"]), 1, 1)
        if kind == "concat":
            return None, (sum(x[0] for x in ins), h, w)
        if kind == "gap":
            return None, (c, 1, 1)
        if kind == "add":
            return None, ins[0]
        raise ValueError(f"layer {layer['name']}: unknown type {kind!r}")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outputs: dict[str, torch.Tensor] = {"input": x}
        last = len(self.layers_spec) - 1
        for i, layer in enumerate(self.layers_spec):
            ins = [outputs[n] for n in layer_inputs(layer)]
            kind = layer["type"]
            if kind == "add":
                y = torch.stack(ins).sum(0) if len(ins) > 2 else ins[0] + ins[1]
            elif kind == "concat":
                y = torch.cat(ins, dim=1)
            elif kind == "gap":
                y = ins[0].mean(dim=(2, 3))
            else:
                y = self.blocks[str(i)](ins[0])
            if has_relu(layer, i == last):
                y = F.relu(y)
            outputs[layer["name"]] = y
        return outputs[self.layers_spec[last]["name"]]


def build_model(spec: Spec | Path | str | None = None) -> nn.Module:
    """The network of spec.json beside this file (or of `spec`, a dict or a file path)."""
    return SpecNet(spec if isinstance(spec, dict) else load_spec(spec))


def load_tfjs_weights(model: SpecNet, weights: dict[str, torch.Tensor]) -> None:
    """Copies weights keyed `<layer>/<what>` in the studio's layout (NHWC kernels) into the model."""
    with torch.no_grad():
        for i, layer in enumerate(model.layers_spec):
            name, kind = layer["name"], layer["type"]
            if kind == "dense":
                dense = model.blocks[str(i)]
                assert isinstance(dense, nn.Linear)
                dense.weight.copy_(weights[f"{name}/kernel"].t())
                dense.bias.copy_(weights[f"{name}/bias"])
                continue
            if kind not in ("conv", "depthwise"):
                continue
            kernel = weights[f"{name}/kernel"]  # [k, k, in, out] or depthwise [k, k, in, multiplier]
            conv = model.conv(name)
            if kind == "conv":
                conv.weight.copy_(kernel.permute(3, 2, 0, 1))
            else:
                # TensorFlow's depthwise output channel i·m + j is input i, filter j: PyTorch's
                # grouped conv orders its outputs the same way.
                k = kernel.shape[0]
                conv.weight.copy_(kernel.reshape(k, k, -1).permute(2, 0, 1).unsqueeze(1))
            if conv.bias is not None:
                conv.bias.copy_(weights[f"{name}/bias"])
            bn = model.batch_norm(name)
            if bn is not None:
                assert bn.running_mean is not None and bn.running_var is not None
                bn.weight.copy_(weights[f"{name}/gamma"])
                bn.bias.copy_(weights[f"{name}/beta"])
                bn.running_mean.copy_(weights[f"{name}/moving_mean"])
                bn.running_var.copy_(weights[f"{name}/moving_variance"])
