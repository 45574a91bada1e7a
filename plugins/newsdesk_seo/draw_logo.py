"""Draw the demo outlet's publisher logo and default share card (theme/static/images/).

Google reads the JSON-LD publisher logo as a raster image that fits a 600x60
box; this draws one: a double peak in a square and the outlet's name. The
share card (1200x630, what social networks show for pages without an image of
their own) centres the same logo above a band of the logo's colour. Run from the
repository root (needs the DejaVu Serif Bold font):

    python plugins/newsdesk_seo/draw_logo.py ["The Ararat Ledger"]
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 600, 60
SCALE = 4
INK = (122, 28, 36)
PAPER = (255, 255, 255)
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")
TARGET = Path("theme/static/images/publisher-logo.png")
SHARE_TARGET = Path("theme/static/images/share-card.png")
SHARE_SIZE = (1200, 630)


def draw(name: str) -> Image.Image:
    """Return the logo: mark on the left, name beside it, white background."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    canvas = Image.new("RGB", (w, h), PAPER)
    pen = ImageDraw.Draw(canvas)
    side = h - 8 * SCALE
    top = 4 * SCALE
    pen.rounded_rectangle([0, top, side, top + side], radius=6 * SCALE, fill=INK)
    foot = top + side - 9 * SCALE
    pen.polygon(
        [(6 * SCALE, foot), (side * 0.42, top + 10 * SCALE), (side * 0.78, foot)], fill=PAPER
    )
    pen.polygon(
        [(side * 0.55, foot), (side * 0.76, top + 22 * SCALE), (side - 5 * SCALE, foot)],
        fill=PAPER,
    )
    font = ImageFont.truetype(str(FONT), 34 * SCALE)
    box = pen.textbbox((0, 0), name, font=font)
    x = side + 14 * SCALE
    y = (h - (box[3] - box[1])) // 2 - box[1]
    pen.text((x, y), name, font=font, fill=INK)
    return canvas.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def share_card(logo: Image.Image) -> Image.Image:
    """Return the default share card: the logo, enlarged, centred above an ink band."""
    card = Image.new("RGB", SHARE_SIZE, PAPER)
    inverted = Image.eval(logo.convert("L"), lambda value: 255 - value)
    cropped = logo.crop(inverted.getbbox())
    width = 960
    big = cropped.resize(
        (width, round(cropped.height * width / cropped.width)), Image.Resampling.LANCZOS
    )
    band = 36
    card.paste(big, ((SHARE_SIZE[0] - big.width) // 2, (SHARE_SIZE[1] - band - big.height) // 2))
    ImageDraw.Draw(card).rectangle(
        [0, SHARE_SIZE[1] - band, SHARE_SIZE[0], SHARE_SIZE[1]], fill=INK
    )
    return card


def main() -> int:
    """Draw the logo and the share card into the theme and print where they went."""
    name = sys.argv[1] if len(sys.argv) > 1 else "The Ararat Ledger"
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    logo = draw(name)
    logo.save(TARGET, "PNG", optimize=True)
    share_card(logo).save(SHARE_TARGET, "PNG", optimize=True)
    print(f"drew {TARGET} ({WIDTH}x{HEIGHT}) and {SHARE_TARGET} ({SHARE_SIZE[0]}x{SHARE_SIZE[1]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
