"""Training data: the studio's prepared MNIST / Fashion-MNIST files, or an ImageFolder root.

The studio's files (public/data/<name>-<split>.bin, written by `npm install`) are, little-endian:
a 32-byte header ("MNDS", version u16 = 1, header size u16 = 32, count u32, height u16, width
u16, channels u16, classes u16, FNV-1a checksum u32, 8 zero bytes), then `count` uint8 labels,
then `count × h × w × c` uint8 pixels, NHWC (src/engine/data/format.ts).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

MAGIC = b"MNDS"
HEADER = 32


class DataError(Exception):
    """A dataset that cannot be read; the message is one line that names the file."""


@dataclass
class Split:
    """Images as uint8 NCHW (kept small; scaled to [0, 1] per batch) and int64 labels."""

    images: torch.Tensor
    labels: torch.Tensor
    classes: int

    @property
    def count(self) -> int:
        return int(self.labels.shape[0])

    def batch(self, indices: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Pixels as float32 in [0, 1], as the studio feeds them, and the labels."""
        return self.images[indices].to(torch.float32) / 255.0, self.labels[indices]


def read_studio_split(path: Path) -> Split:
    """One split file; the checksum is left to the studio (a pure-Python FNV over 47 MB is slow)."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        hint = "--data is the studio's public/data folder, which npm install fills"
        raise DataError(f"{path}: cannot read ({e.strerror or e}); {hint}") from None
    if raw[:4] != MAGIC or len(raw) < HEADER:
        raise DataError(f"{path}: not a studio dataset file (run npm install in the studio to prepare it)")
    version, header, count, h, w, c, classes = struct.unpack_from("<HHIHHHH", raw, 4)
    if version != 1 or header != HEADER:
        raise DataError(f"{path}: format version {version}, expected 1")
    expected = HEADER + count * (1 + h * w * c)
    if len(raw) != expected:
        raise DataError(f"{path}: {len(raw)} bytes, expected {expected} for {count} examples of {h}x{w}x{c}")
    buf = np.frombuffer(raw, dtype=np.uint8)
    labels = torch.from_numpy(buf[HEADER : HEADER + count].astype(np.int64))
    # A copy: the file's bytes are read-only, and NHWC becomes NCHW.
    pixels = buf[HEADER + count :].reshape(count, h, w, c).transpose(0, 3, 1, 2).copy()
    return Split(torch.from_numpy(pixels), labels, classes)


def load_studio(data_dir: Path, name: str) -> tuple[Split, Split]:
    """`<name>-train.bin` and `<name>-test.bin` from the studio's public/data folder."""
    return tuple(read_studio_split(data_dir / f"{name}-{split}.bin") for split in ("train", "test"))  # type: ignore[return-value]


def load_folder(root: Path, image_size: int, channels: int) -> tuple[Split, Split]:
    """An ImageFolder root (one folder per class) with `train/` and `test/` inside, or one set
    used for both. Needs torchvision; images are resized to image_size × image_size."""
    try:
        from torchvision import datasets, transforms
    except ImportError:
        raise DataError("--dataset folder needs torchvision: pip install torchvision (same index as torch)") from None
    steps: list[object] = [transforms.Resize((image_size, image_size))]
    if channels == 1:
        steps.append(transforms.Grayscale(1))
    steps.append(transforms.PILToTensor())
    tf = transforms.Compose(steps)
    parts = [root / "train", root / "test"] if (root / "train").is_dir() else [root, root]
    out = []
    for part in parts:
        try:
            ds = datasets.ImageFolder(str(part), transform=tf)
        except (FileNotFoundError, OSError) as e:
            raise DataError(f"{part}: not an image folder: {e}") from None
        images = torch.stack([img for img, _ in ds]) if len(ds) else torch.zeros(0, channels, image_size, image_size)
        out.append(Split(images.to(torch.uint8), torch.tensor(ds.targets, dtype=torch.int64), len(ds.classes)))
    return out[0], out[1]
