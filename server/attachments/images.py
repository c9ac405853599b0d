"""Thumbnails of image attachments (Pillow): what the card's list and the board's cover show, so a
20 MB photo is never sent to draw a 300-pixel picture. Run in a thread; a file Pillow cannot open as
an image is refused (None)."""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

SIZE = (480, 480)
MAX_PIXELS = 60_000_000  # past this an image is refused rather than decoded (a "decompression bomb")


def thumbnail(source: Path, directory: Path) -> Path | None:
    """A WebP thumbnail of the image at `source` in a new temporary file in `directory`, or None
    when the file is not an image Pillow can read (or is absurdly large)."""
    descriptor, name = tempfile.mkstemp(prefix="thumb-", suffix=".webp", dir=directory)
    os.close(descriptor)
    target = Path(name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as probe:
                probe.verify()  # a truncated or forged file fails here
            with Image.open(source) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise ValueError("too many pixels")
                image.seek(0)
                picture = ImageOps.exif_transpose(image) or image
                picture = picture.convert("RGBA" if picture.mode in ("RGBA", "LA", "P") else "RGB")
                picture.thumbnail(SIZE)
                picture.save(target, "WEBP", quality=80)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, EOFError):  # fmt: skip
        target.unlink(missing_ok=True)
        return None
    return target
