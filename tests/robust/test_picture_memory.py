"""Class 10: however large the pictures a refresh meets, it stays under 150 MB: a JPEG is
decoded at reduced scale, a picture too large to decode smaller is skipped, and pictures
decoding side by side share one pixel budget."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from tui_reader.net.images import ImageError, open_image, shrink

SIDE = 6300
PEAK_MB = 150

_PEAK = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-m", "tui_reader", "refresh"], capture_output=True,
                      text=True)
sys.stderr.write(done.stderr)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
"""


def _png(width: int, height: int) -> bytes:
    """A black RGB PNG made row by row, so the test never holds its pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    row = bytes(1 + 3 * width)
    squeeze = zlib.compressobj(9)
    body = b"".join(squeeze.compress(row) for _ in range(height)) + squeeze.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body)
            + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def big_png() -> bytes:
    return _png(SIDE, SIDE)


@pytest.fixture(scope="module")
def big_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (SIDE, SIDE), "navy").save(out, "JPEG", quality=60)
    return out.getvalue()


def test_a_big_jpeg_is_decoded_small_and_kept(big_jpeg: bytes) -> None:
    image = open_image(big_jpeg)
    assert image.width * image.height <= 8_000_000
    assert shrink(big_jpeg).width == 800


def test_a_big_png_is_skipped_before_decoding(big_png: bytes) -> None:
    with pytest.raises(ImageError, match="too large to decode"):
        open_image(big_png)


def test_a_refresh_full_of_huge_pictures_stays_small(
    site: object, home: Path, big_png: bytes, big_jpeg: bytes
) -> None:
    add = site.add  # type: ignore[attr-defined]
    items = []
    for n, (data, kind) in enumerate([(big_png, "png"), (big_jpeg, "jpeg")]):
        for k in range(5):
            add(f"/p{n}/{k}.{kind}", data, f"image/{kind}")
        images = "".join(f"<figure><img src='/p{n}/{k}.{kind}'></figure>" for k in range(1, 5))
        add(f"/story{n}", f"<html><head><meta property='og:image' content='/p{n}/0.{kind}'>"
            f"</head><body><article><h1>Story {n}</h1>"
            + "<p>A long paragraph about the film festival and its stars.</p>" * 30
            + images + "</article></body></html>")
        items.append(f"<item><title>Story {n}</title><link>{site.url(f'/story{n}')}</link>"  # type: ignore[attr-defined]
                     f"<guid>s{n}</guid></item>")
    feed = add("/feed.xml", "<rss version='2.0'><channel><title>Big pictures</title>"
               + "".join(items) + "</channel></rss>", "application/rss+xml")
    from tui_reader.paths import Paths
    from tui_reader.store import Store

    with Store.open(Paths.resolve(home).ensure().database) as store:
        store.add_feed(feed, "Big pictures")
    done = subprocess.run([sys.executable, "-c", _PEAK], capture_output=True, text=True,
                          timeout=300)
    code, peak = map(int, done.stdout.split())
    assert code == 0, done.stderr
    assert peak < PEAK_MB, f"refresh peaked at {peak} MB"
    cached = [p for p in (home / "cache" / "images").rglob("*") if p.is_file()]
    assert len(cached) >= 5  # the five JPEGs, and a note for each PNG
