"""Draw the demo site's missing article illustrations.

Scans ``content/articles/**/*.md`` for an ``Image: images/<name>.jpg`` metadata
line and, for every such file missing under ``content/images/``, draws an
abstract editorial illustration with Pillow (no text, 1200x675, JPEG quality 82).

The motif is picked from keywords in the article's ``Tags`` and ``Title`` (the
motif with most hits wins, title words counting double):

* water, lake, river, Sevan: a blue lake under mountain silhouettes;
* transport, rail(way), road, border, corridor: lines with station dots;
* energy, power, solar, nuclear, climate: a sun with rays and towers;
* music, culture, festival, film, books: concentric arcs;
* city, Yerevan, Gyumri, housing, tech: skyline blocks;
* anything else: layered hills in warm tones under a double peak.

Drawing is deterministic: every random choice comes from
``random.Random(<image name>)`` and the JPEG is saved without EXIF or
timestamps, so running the script twice gives identical bytes.

Run from the repository root::

    python plugins/newsdesk_content/demo_images.py          # draw missing images
    python plugins/newsdesk_content/demo_images.py --force  # redraw them all
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1200, 675
#: Shapes are drawn at this multiple of the final size, then scaled down, for smooth edges.
SCALE = 2
JPEG_QUALITY = 82

CONTENT_DIR = Path("content")
ARTICLES_DIR = CONTENT_DIR / "articles"
IMAGES_DIR = CONTENT_DIR / "images"

IMAGE_LINE = re.compile(r"^Image:\s*images/(?P<name>[A-Za-z0-9._-]+\.jpe?g)\s*$", re.IGNORECASE)

RGB = tuple[int, int, int]
Painter = Callable[[ImageDraw.ImageDraw, random.Random], None]


# --- Reading the articles -----------------------------------------------------


def read_metadata(path: Path) -> dict[str, str]:
    """Return the metadata header of a Markdown file: ``Key: value`` lines up to a blank line."""
    metadata: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, sep, value = line.partition(":")
        if sep:
            metadata[key.strip().lower()] = value.strip()
    return metadata


def wanted_images(articles_dir: Path) -> Iterator[tuple[str, str, str]]:
    """Yield ``(image file name, tags, title)`` for every article that names an image."""
    for path in sorted(articles_dir.glob("**/*.md")):
        metadata = read_metadata(path)
        match = IMAGE_LINE.match(f"Image: {metadata.get('image', '')}")
        if match:
            yield match["name"], metadata.get("tags", ""), metadata.get("title", "")


# --- Colour helpers -----------------------------------------------------------


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Blend colour ``a`` towards ``b`` by fraction ``t`` (0 gives ``a``, 1 gives ``b``)."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def jitter(colour: RGB, rng: random.Random, amount: int = 14) -> RGB:
    """Shift each channel of ``colour`` by up to ``amount``, staying within 0-255."""
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in colour)  # type: ignore[return-value]


def vertical_gradient(draw: ImageDraw.ImageDraw, top: RGB, bottom: RGB, y0: int, y1: int) -> None:
    """Fill the full-width band from ``y0`` to ``y1`` with a top-to-bottom gradient."""
    span = max(1, y1 - y0)
    for y in range(y0, y1):
        draw.line([(0, y), (WIDTH * SCALE, y)], fill=mix(top, bottom, (y - y0) / span))


def ridge(
    rng: random.Random, base: float, amplitude: float, steps: int = 14
) -> list[tuple[float, float]]:
    """Return a closed polygon of a rolling ridge line around height ``base`` (fraction of H)."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    points = [(0.0, float(h))]
    phase = rng.uniform(0, 6.28)
    for i in range(steps + 1):
        x = w * i / steps
        wave = amplitude * (0.6 * math.sin(phase + i * 0.9) + 0.4 * rng.uniform(-1, 1))
        points.append((x, h * (base - wave)))
    points.append((float(w), float(h)))
    return points


def double_peak(
    draw: ImageDraw.ImageDraw, rng: random.Random, colour: RGB, snow: RGB, base: float
) -> None:
    """Draw an Ararat-like pair of peaks: a large one and a smaller one to its right."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    cx = w * rng.uniform(0.32, 0.5)
    top = h * rng.uniform(0.16, 0.24)
    foot = h * base
    half = w * rng.uniform(0.3, 0.38)
    big = [
        (cx - half, foot),
        (cx - half * 0.18, top + 12),
        (cx, top),
        (cx + half * 0.2, top + 16),
        (cx + half, foot),
    ]
    small_cx = cx + half * 0.75
    small_top = top + h * rng.uniform(0.13, 0.17)
    small_half = half * 0.5
    small = [(small_cx - small_half, foot), (small_cx, small_top), (small_cx + small_half, foot)]
    draw.polygon(small, fill=mix(colour, (255, 255, 255), 0.08))
    draw.polygon(big, fill=colour)
    # Snow caps: the top fifth of each peak.
    for poly, peak_y in ((big, top), (small, small_top)):
        cap_depth = (foot - peak_y) * 0.22
        cap = _clip_above(poly, peak_y + cap_depth)
        if len(cap) >= 3:
            draw.polygon(cap, fill=snow)


def _clip_above(poly: list[tuple[float, float]], y_cut: float) -> list[tuple[float, float]]:
    """Return the part of a convex-ish polygon lying above the line ``y = y_cut``."""
    out: list[tuple[float, float]] = []
    for i, (x1, y1) in enumerate(poly):
        x2, y2 = poly[(i + 1) % len(poly)]
        if y1 <= y_cut:
            out.append((x1, y1))
        if (y1 <= y_cut) != (y2 <= y_cut):
            t = (y_cut - y1) / (y2 - y1)
            out.append((x1 + (x2 - x1) * t, y_cut))
    return out


# --- Motifs -------------------------------------------------------------------


def paint_landscape(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """Default: layered hills in warm apricot and ochre tones under a double peak."""
    h = HEIGHT * SCALE
    sky_top = jitter((244, 196, 150), rng)
    sky_bottom = jitter((252, 232, 204), rng)
    vertical_gradient(draw, sky_top, sky_bottom, 0, h)
    sun = (WIDTH * SCALE * rng.uniform(0.68, 0.86), h * rng.uniform(0.14, 0.26))
    r = h * 0.07
    draw.ellipse(
        [sun[0] - r, sun[1] - r, sun[0] + r, sun[1] + r], fill=jitter((250, 226, 180), rng, 6)
    )
    double_peak(draw, rng, jitter((176, 150, 150), rng, 10), (248, 242, 236), base=0.62)
    hills = [(214, 140, 92), (190, 108, 70), (156, 84, 58), (112, 62, 48)]
    for i, colour in enumerate(hills):
        draw.polygon(ridge(rng, 0.58 + i * 0.1, 0.03 + i * 0.01), fill=jitter(colour, rng, 10))


def paint_water(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """Water: a blue lake with light streaks under dark mountain silhouettes."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    horizon = int(h * rng.uniform(0.55, 0.62))
    vertical_gradient(draw, jitter((150, 190, 222), rng), jitter((226, 238, 244), rng), 0, horizon)
    for i, colour in enumerate([(118, 138, 162), (80, 100, 128), (52, 70, 96)]):
        draw.polygon(
            ridge(rng, horizon / h - 0.16 + i * 0.06, 0.06 - i * 0.012, steps=10),
            fill=jitter(colour, rng, 8),
        )
    vertical_gradient(draw, jitter((58, 112, 160), rng), jitter((24, 58, 100), rng), horizon, h)
    for _ in range(rng.randint(18, 28)):
        y = rng.uniform(horizon + 10, h - 10)
        length = rng.uniform(0.04, 0.2) * w
        x = rng.uniform(0, w - length)
        shade = mix(
            (24, 58, 100), (200, 226, 240), 0.35 + 0.5 * (1 - (y - horizon) / (h - horizon))
        )
        draw.line([(x, y), (x + length, y)], fill=shade, width=rng.randint(3, 6))


def paint_transport(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """Transport: coloured route lines across a pale map, with round stations."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    vertical_gradient(draw, jitter((236, 232, 222), rng, 6), jitter((222, 216, 204), rng, 6), 0, h)
    for _ in range(6):
        y = rng.uniform(0, h)
        draw.line([(0, y), (w, y + rng.uniform(-h * 0.2, h * 0.2))], fill=(214, 208, 196), width=3)
    palette = [(196, 60, 48), (40, 96, 160), (222, 150, 40), (60, 130, 90), (110, 70, 140)]
    rng.shuffle(palette)
    for colour in palette[: rng.randint(3, 5)]:
        y = rng.uniform(0.15, 0.85) * h
        points = [(-20.0, y)]
        x = -20.0
        while x < w:
            x += rng.uniform(0.12, 0.24) * w
            if rng.random() < 0.5:  # turn at 45 degrees, metro-map style
                dy = rng.choice([-1, 1]) * rng.uniform(0.08, 0.16) * h
                dy = max(0.08 * h - y, min(0.92 * h - y, dy))
                x += abs(dy)
                y += dy
            points.append((x, y))
        draw.line(points, fill=colour, width=22, joint="curve")
        for px, py in points[1:-1]:
            draw.ellipse(
                [px - 24, py - 24, px + 24, py + 24], fill=(250, 248, 242), outline=colour, width=9
            )


def paint_energy(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """Energy: a low sun with rays over a plain lined with transmission towers."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    vertical_gradient(draw, jitter((250, 210, 120), rng), jitter((244, 150, 80), rng), 0, h)
    cx, cy = w * rng.uniform(0.3, 0.7), h * rng.uniform(0.5, 0.6)
    for i in range(24):
        if i % 2:
            continue
        a0, a1 = i * math.pi / 12, (i + 1) * math.pi / 12
        far = w
        ray = [(cx, cy)] + [(cx + far * math.cos(a), cy - far * math.sin(a)) for a in (a0, a1)]
        draw.polygon(ray, fill=jitter((252, 222, 150), rng, 6))
    r = h * 0.14
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(255, 240, 200))
    ground = h * 0.68
    draw.rectangle([0, ground, w, h], fill=jitter((120, 70, 50), rng, 8))
    towers = rng.randint(3, 5)
    tops: list[tuple[float, float]] = []
    for i in range(towers):
        x = w * (i + 0.5) / towers + rng.uniform(-40, 40)
        height = h * rng.uniform(0.3, 0.42) * (0.7 + 0.3 * (i % 2))
        top = ground - height
        colour = (64, 40, 36)
        draw.line([(x - 60, ground), (x, top), (x + 60, ground)], fill=colour, width=8)
        for frac in (0.25, 0.45, 0.65):
            y = top + height * frac
            half = 60 * frac
            draw.line([(x - half - 40, y), (x + half + 40, y)], fill=colour, width=6)
        tops.append((x, top + height * 0.25))
    for (x1, y1), (x2, y2) in itertools.pairwise(tops):
        for off in (-90, 90):  # a sagging cable from each arm of one tower to the next
            mid = ((x1 + x2) / 2 + off, (y1 + y2) / 2 + 30)
            draw.line(
                [(x1 + off, y1), mid, (x2 + off, y2)], fill=(64, 40, 36), width=3, joint="curve"
            )


def paint_culture(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """Music and culture: overlapping families of concentric arcs, like sound or a dome."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    vertical_gradient(draw, jitter((52, 34, 60), rng, 8), jitter((120, 48, 56), rng, 8), 0, h)
    palette = [(232, 176, 74), (214, 98, 70), (240, 214, 170), (150, 186, 190), (196, 120, 160)]
    for _ in range(rng.randint(3, 4)):
        cx, cy = rng.uniform(0, w), rng.uniform(0.3 * h, 1.1 * h)
        colour = rng.choice(palette)
        start = rng.choice([180, 200, 160])
        for k in range(rng.randint(6, 11)):
            r = 60 + k * rng.uniform(36, 52)
            draw.arc(
                [cx - r, cy - r, cx + r, cy + r],
                start,
                start + 180,
                fill=colour,
                width=rng.randint(8, 16),
            )
    for _ in range(rng.randint(10, 18)):
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(4, 12)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(246, 226, 190))


def paint_city(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """City: a skyline of blocks with lit windows against a dusk sky, peaks behind."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    vertical_gradient(draw, jitter((90, 110, 160), rng), jitter((246, 186, 150), rng), 0, h)
    double_peak(draw, rng, jitter((150, 140, 170), rng, 8), (236, 230, 240), base=0.7)
    tuff = [(204, 132, 110), (182, 110, 96), (222, 160, 124), (160, 96, 90)]
    for row, base in enumerate((0.78, 0.92)):
        x = -rng.uniform(0, 60)
        while x < w:
            bw = rng.uniform(90, 220)
            bh = h * rng.uniform(0.14, 0.34) * (1.2 - 0.3 * row)
            top = h * base - bh
            colour = mix(rng.choice(tuff), (40, 30, 40), 0.35 if row == 0 else 0.05)
            draw.rectangle([x, top, x + bw, h], fill=colour)
            lit = mix(colour, (255, 230, 160), 0.6)
            for wy in range(int(top) + 24, h - 20, 46):
                for wx in range(int(x) + 18, int(x + bw) - 28, 40):
                    if rng.random() < 0.35:
                        draw.rectangle([wx, wy, wx + 18, wy + 24], fill=lit)
            x += bw + rng.uniform(6, 30)


MOTIFS: list[tuple[tuple[str, ...], Painter]] = [
    (("water", "lake", "river", "sevan", "irrigation", "drought"), paint_water),
    (
        ("transport", "rail", "railway", "road", "corridor", "border", "transit", "metro"),
        paint_transport,
    ),
    (("energy", "power", "solar", "nuclear", "electricity", "climate"), paint_energy),
    (("music", "culture", "festival", "film", "books", "komitas", "art"), paint_culture),
    (("city", "yerevan", "gyumri", "housing", "urban", "tech"), paint_city),
]
#: A keyword in the title counts this many times more than one in the tags.
TITLE_WEIGHT = 2


def pick_painter(tags: str, title: str) -> Painter:
    """Return the motif whose keywords occur most often (as whole words) in tags and title.

    Title hits count ``TITLE_WEIGHT`` times, so a specific headline beats a broad
    section tag such as ``Culture``; ties go to the motif listed first in ``MOTIFS``;
    with no hit at all the warm landscape is used.
    """
    tag_words = re.findall(r"[a-z]+", tags.lower())
    title_words = re.findall(r"[a-z]+", title.lower())
    best, best_score = paint_landscape, 0
    for triggers, painter in MOTIFS:
        score = sum(w in triggers for w in tag_words)
        score += TITLE_WEIGHT * sum(w in triggers for w in title_words)
        if score > best_score:
            best, best_score = painter, score
    return best


# --- Drawing and saving -------------------------------------------------------


def draw_image(name: str, painter: Painter) -> Image.Image:
    """Return the illustration for image ``name`` drawn by ``painter``."""
    rng = random.Random(name)
    canvas = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE))
    painter(ImageDraw.Draw(canvas), rng)
    image = canvas.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    return image.filter(ImageFilter.SMOOTH)


def save_jpeg(image: Image.Image, path: Path) -> None:
    """Save ``image`` as a plain JPEG: no EXIF, no ICC profile, no timestamps."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=False)


def main() -> int:
    """Draw every missing (or, with ``--force``, every) article image; return an exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="redraw images that already exist")
    args = parser.parse_args()

    if not ARTICLES_DIR.is_dir():
        print(f"error: {ARTICLES_DIR} not found; run from the repository root", file=sys.stderr)
        return 1

    seen: set[str] = set()
    for name, tags, title in wanted_images(ARTICLES_DIR):
        if name in seen:
            continue
        seen.add(name)
        target = IMAGES_DIR / name
        if target.exists() and not args.force:
            continue
        painter = pick_painter(tags, title)
        save_jpeg(draw_image(Path(name).stem, painter), target)
        motif = painter.__name__.removeprefix("paint_")
        print(f"drew {target} ({motif}, {target.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
