"""Draw the app icons (a white map pin on the app's green) as PNGs, with the standard library only.

Usage: python tools/make_icons.py   # writes static/icons/{icon,maskable}-{192,512}.png

"any" icons: a rounded square, pin large. "maskable" icons: full-bleed green, pin inside the
central 80 % circle that every launcher mask keeps. 4x4 supersampling smooths the edges.
"""
from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
GREEN = (0x0B, 0x5D, 0x3B)      # --accent in static/css/app.css
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4


def pin_contains(x: float, y: float, cx: float, cy: float, r: float, tip: float) -> bool:
    """Inside a teardrop pin: a circle (centre cx, cy) joined to a tip below it, minus a hole."""
    dx, dy = x - cx, y - cy
    if dx * dx + dy * dy <= (0.42 * r) ** 2:
        return False                                   # the hole shows the background
    if dx * dx + dy * dy <= r * r:
        return True
    depth = tip - cy                                   # tip straight below the centre
    half = math.acos(r / depth)                        # tangent points seen from the centre
    ty = r * math.cos(half)
    if not ty <= dy <= depth:
        return False
    # Between the two tangent lines, which meet at the tip.
    return abs(dx) <= (depth - dy) * r * math.sin(half) / (depth - ty)


def pixel(x: float, y: float, maskable: bool) -> tuple[int, int, int, int]:
    """Colour of one sample (x, y in 0..1)."""
    if not maskable:
        corner = 0.18                                  # rounded square, transparent outside
        qx, qy = max(abs(x - 0.5) - (0.5 - corner), 0), max(abs(y - 0.5) - (0.5 - corner), 0)
        if qx * qx + qy * qy > corner * corner:
            return (0, 0, 0, 0)
    scale = 0.62 if maskable else 0.8                  # maskable: stay inside the 80 % circle
    r, cy, tip = 0.22 * scale, 0.5 - 0.12 * scale, 0.5 + 0.38 * scale
    inside = pin_contains(x, y, 0.5, cy, r, tip)
    return (*(WHITE if inside else GREEN), 255)


def render(size: int, maskable: bool) -> bytes:
    """RGBA rows of the icon, supersampled."""
    rows = bytearray()
    step = 1 / (size * SAMPLES)
    for j in range(size):
        rows.append(0)                                 # PNG filter type 0 for the row
        for i in range(size):
            acc = [0, 0, 0, 0]
            for sj in range(SAMPLES):
                for si in range(SAMPLES):
                    px = pixel((i * SAMPLES + si + 0.5) * step, (j * SAMPLES + sj + 0.5) * step, maskable)
                    for c in range(4):
                        acc[c] += px[c] * px[3] if c < 3 else px[3]
            alpha = acc[3]
            colour = [round(acc[c] / alpha) if alpha else 0 for c in range(3)]
            rows += bytes([*colour, round(alpha / SAMPLES ** 2)])
    return bytes(rows)


def png(size: int, rgba_rows: bytes) -> bytes:
    """A minimal PNG file: IHDR, one IDAT, IEND."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)     # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rgba_rows, 9)) + chunk(b"IEND", b""))


def main() -> None:
    """Write the four icons."""
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        for maskable in (False, True):
            name = f"{'maskable' if maskable else 'icon'}-{size}.png"
            (OUT / name).write_bytes(png(size, render(size, maskable)))
            print(name)


if __name__ == "__main__":
    main()
