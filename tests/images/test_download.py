"""Downloading a picture: only images, capped, bomb-proof, and every failure a reason."""

from __future__ import annotations

import asyncio
import io
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
from image_samples import bomb_png, poster
from PIL import Image

from tui_reader.net import images
from tui_reader.net.http import Fetcher
from tui_reader.net.images import (
    IMAGE_CAP,
    ImageError,
    Skipped,
    SmallImage,
    download_image,
    shrink,
)


async def test_shrinks_to_terminal_size(site: Any, fetcher: Fetcher) -> None:
    url = site.add("/poster.png", poster(1600, 900), "image/png")
    result = await download_image(fetcher, url)
    assert isinstance(result, SmallImage)
    assert (result.width, result.height) == (800, 450)
    with Image.open(io.BytesIO(result.data)) as small:
        assert small.format == "WEBP" and small.size == (800, 450)
    assert site.seen("/poster.png")[0]["accept"].startswith("image/")


def test_small_pictures_keep_their_size_and_transparency() -> None:
    logo = Image.new("RGBA", (300, 120), (200, 30, 30, 0))
    out = io.BytesIO()
    logo.save(out, "PNG")
    small = shrink(out.getvalue())
    assert (small.width, small.height) == (300, 120)
    with Image.open(io.BytesIO(small.data)) as back:
        assert back.mode == "RGBA"


def test_tall_pictures_are_cut_down_to_a_height_too() -> None:
    small = shrink(poster(400, 6000))
    assert small.height == images.MAX_HEIGHT and small.width == 160


def _unsized(body: bytes) -> Any:
    """Sent without a Content-Length, so only the count of bytes read can stop it."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "image/jpeg")
        request.send_header("Connection", "close")
        request.end_headers()
        for start in range(0, len(body), 256 * 1024):
            request.wfile.write(body[start : start + 256 * 1024])

    return handler


async def test_every_bad_picture_is_skipped_with_a_reason(site: Any, fetcher: Fetcher) -> None:
    huge = b"\xff\xd8\xff" + b"\0" * IMAGE_CAP
    jpeg = poster(1000, 700, "JPEG", noise=True)
    cases = {
        site.add("/login.png", "<html>Please sign in</html>"): (
            "not a picture (the server sent text/html)"
        ),
        site.add("/huge.jpg", huge, "image/jpeg"): "response larger than 5 MiB",
        site.handle("/streamed.jpg", _unsized(huge)): "response larger than 5 MiB",
        # 49 Mpx is over our cap, 100 Mpx over Pillow's warning, 10 Gpx over its error.
        site.add("/bomb1.png", bomb_png(7_000, 7_000), "image/png"): "too many pixels",
        site.add("/bomb2.png", bomb_png(10_000, 10_000), "image/png"): "too many pixels",
        site.add("/bomb3.png", bomb_png(100_000, 100_000), "image/png"): "too many pixels",
        site.add("/cut.jpg", jpeg[: len(jpeg) // 2], "image/jpeg"): "broken picture",
        site.add("/garbage.gif", b"GIF89a not really", "image/gif"): (
            "not a picture that can be read"
        ),
        site.add("/pixel.gif", poster(1, 1, "GIF"), "image/gif"): "too small to be a picture",
        site.url("/missing.png"): "HTTP 404 (not found)",
        "data:image/png;base64,iVBORw0KGgo=": "not an http(s) address",
        "javascript:alert(1)": "not an http(s) address",
        "file:///etc/passwd": "not an http(s) address",
    }
    results = await asyncio.gather(*(download_image(fetcher, url) for url in cases))
    for (url, reason), result in zip(cases.items(), results, strict=True):
        assert isinstance(result, Skipped), url
        assert result.reason.startswith(reason), (url, result.reason)
        assert result.lasting != reason.startswith("response larger"), url
    assert len(site.requests) == 10  # the unsafe addresses were never asked for


def test_pillow_bomb_warning_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without our own cap, Pillow's warning (over 89 Mpx) must still stop the decode."""
    monkeypatch.setattr(images, "MAX_PIXELS", 10**12)
    with pytest.raises(ImageError, match="decompression bomb"):
        images.open_image(bomb_png(10_000, 10_000))


async def test_unreachable_is_worth_another_try(fetcher: Fetcher) -> None:
    result = await download_image(fetcher, "http://127.0.0.1:9/poster.png")
    assert isinstance(result, Skipped) and not result.lasting
