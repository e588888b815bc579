"""Draw the app's icons (home screen, install prompt): a white "A" on Aluna's blue.

    .venv/bin/python scripts/static-build/app_icons.py OUT_DIR

Pillow and the DejaVu font (Debian's fonts-dejavu-core, which WeasyPrint needs
anyway) give the same PNG bytes every run. The maskable icon keeps the letter in
the central safe zone (80 %) so a phone's round or squircle mask never cuts it.
"""

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[2]
BLUE = (11, 83, 148)  # #0b5394, the theme colour
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def draw(size: int, *, maskable: bool) -> Image.Image:
    image = Image.new("RGB", (size, size), BLUE)
    pen = ImageDraw.Draw(image)
    letter_size = int(size * (0.45 if maskable else 0.62))
    font = ImageFont.truetype(FONT, letter_size)
    pen.text((size / 2, size / 2), "A", font=font, fill="white", anchor="mm")
    return image


def build(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, maskable=False).save(out / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(out / "icon-maskable-512.png", optimize=True)
    draw(180, maskable=False).save(out / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "static" / "pwa")
