"""Article pictures: downloaded through the shared Fetcher, checked, and shrunk to terminal size.

An image is untrusted input to a C decoder: only `image/*` answers are read, the body is
capped, the pixel count is checked before any pixel is decoded (Pillow's bomb guard, with its
warning treated as an error too), and at most two pictures decode at once so a page full of
huge photos cannot take hundreds of MiB together. Whatever goes wrong comes back as a
`Skipped` with a reason, never as an exception.
"""

from __future__ import annotations

import asyncio
import io
import threading
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui_reader.net.errors import FetchError
from tui_reader.net.http import Fetcher, MiB, status_message
from tui_reader.sanitize import safe_url

if TYPE_CHECKING:
    from PIL import Image

IMAGE_CAP = 5 * MiB
IMAGE_ACCEPT = "image/webp,image/png,image/jpeg,image/gif;q=0.9,image/*;q=0.5"
MAX_WIDTH = 800
# A tall infographic is kept, but not as a 800 × 20,000 strip.
MAX_HEIGHT = 2400
# Far below Pillow's own 89 Mpx: a 40 Mpx photo is already bigger than any camera's.
MAX_PIXELS = 40_000_000
# What may be decoded at full size: Pillow holds most modes at 4 bytes a pixel, so 8 Mpx is
# 32 MiB (a 3,500 × 2,300 photo). A JPEG is decoded at 1/2 to 1/8 scale (draft mode) and
# fits under this whatever its size; a larger PNG, GIF or WebP, which cannot be decoded
# smaller, is skipped.
MAX_DECODE_PIXELS = 8_000_000
# Spacers and tracking pixels are not pictures.
MIN_SIDE = 16
WEBP_QUALITY = 80

_decoder = ThreadPoolExecutor(max_workers=2, thread_name_prefix="tui-reader-images")


class _PixelBudget:
    """Pixels being decoded at once across the process (a refresh, or the reader), so two
    large pictures wait for each other instead of adding up."""

    def __init__(self, pixels: int) -> None:
        self.pixels = pixels
        self._used = 0
        self._free = threading.Condition()

    @contextmanager
    def hold(self, pixels: int) -> Iterator[None]:
        with self._free:
            self._free.wait_for(lambda: self._used + pixels <= self.pixels or not self._used)
            self._used += pixels
        try:
            yield
        finally:
            with self._free:
                self._used -= pixels
                self._free.notify_all()


_budget = _PixelBudget(MAX_DECODE_PIXELS)
# warnings.catch_warnings swaps a process-wide filter list; serialise our own uses of it.
_open_lock = threading.Lock()


class ImageError(Exception):
    """The bytes are not a picture that can be shown; the message says why."""


@dataclass(frozen=True, slots=True)
class SmallImage:
    """A re-encoded copy no wider than MAX_WIDTH, ready for the cache."""

    data: bytes
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Skipped:
    """Why a picture was not kept. `lasting` when asking again would give the same answer."""

    reason: str
    lasting: bool = True


def open_image(data: bytes) -> Image.Image:
    """Read the header and check the size, decoding no pixels; raises ImageError. Pillow is
    imported at the first picture: a refresh's worker processes start without it."""
    from PIL import Image

    try:
        with _open_lock, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError("too many pixels (a decompression bomb?)") from None
    except Exception as exc:  # decoders for a dozen formats raise all sorts on bad input
        raise ImageError(f"not a picture that can be read ({type(exc).__name__})") from None
    width, height = image.size
    if width * height > min(MAX_PIXELS, Image.MAX_IMAGE_PIXELS or MAX_PIXELS):
        raise ImageError(f"too many pixels ({width} × {height})")
    if min(width, height) < MIN_SIDE:
        raise ImageError(f"too small to be a picture ({width} × {height})")
    # A JPEG is decoded at the smallest scale still at least the size it is shrunk to, for
    # the picture's own shape (thumbnail() asks for twice the whole box, which left a
    # 6300 × 6300 photo at full size).
    fit = min(MAX_WIDTH / width, MAX_HEIGHT / height, 1.0)
    with suppress(Exception):
        image.draft(None, (max(1, round(fit * width)), max(1, round(fit * height))))
    if image.width * image.height > MAX_DECODE_PIXELS:
        raise ImageError(f"too large to decode ({width} × {height})")
    return image


def shrink(data: bytes) -> SmallImage:
    """Decode, turn upright, fit into MAX_WIDTH × MAX_HEIGHT and re-encode as WebP."""
    image = open_image(data)
    box = (MAX_WIDTH, MAX_HEIGHT)
    with _budget.hold(image.width * image.height):
        return _shrunk(image, box)


def _shrunk(image: Image.Image, box: tuple[int, int]) -> SmallImage:
    from PIL import ImageOps

    try:
        # thumbnail() lets JPEG decode at 1/2 to 1/8 scale, so a big photo never exists in
        # memory at full size; after turning it upright it may need fitting once more.
        image.thumbnail(box)
        image = ImageOps.exif_transpose(image)
        image.thumbnail(box)
        alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if alpha else "RGB")
        out = io.BytesIO()
        image.save(out, "WEBP", quality=WEBP_QUALITY)
    except Exception as exc:  # truncated or corrupt data surfaces only while decoding
        raise ImageError(f"broken picture ({_first_line(exc)})") from None
    return SmallImage(out.getvalue(), image.width, image.height)


async def download_image(fetcher: Fetcher, url: str, *,
                         public_only: bool = False) -> SmallImage | Skipped:
    """The picture at `url`, shrunk; or why not."""
    if safe_url(url) is None:
        return Skipped("not an http(s) address")
    try:
        response = await fetcher.get(url, max_bytes=IMAGE_CAP, accept=IMAGE_ACCEPT,
                                     public_only=public_only)
    except FetchError as exc:
        return Skipped(str(exc), lasting=False)
    if response.status != 200:
        return Skipped(status_message(response.status), lasting=400 <= response.status < 500)
    kind = response.content_type.split(";", 1)[0].strip().lower()
    if not kind.startswith("image/"):
        return Skipped(f"not a picture (the server sent {kind or 'no type'})")
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(_decoder, shrink, response.content)
    except ImageError as exc:
        return Skipped(str(exc))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:80] if text else type(exc).__name__
