"""Pictures made in memory with Pillow for the picture tests."""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import Image


def poster(width: int = 1200, height: int = 675, fmt: str = "PNG", noise: bool = False) -> bytes:
    """A gradient (or, for JPEG size tests, noise that does not compress)."""
    if noise:
        rng = random.Random(7)
        image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    else:
        image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def bomb_png(width: int, height: int) -> bytes:
    """A real 64 × 64 PNG whose header claims `width` × `height`: a few hundred bytes that
    would decode to gigabytes if anything trusted the header."""
    data = bytearray(poster(64, 64))
    # Signature (8), IHDR length and type (8), then width and height; the CRC covers type+data.
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)
