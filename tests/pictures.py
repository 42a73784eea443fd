"""Looking at a picture the product drew: its size, how much of it is drawn, which colours."""

from __future__ import annotations

import io

from PIL import Image


def look(png: bytes) -> dict:
    img = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = list(img.get_flattened_data() if hasattr(img, "get_flattened_data") else img.getdata())
    inked = sum(1 for p in pixels if sum(p) < 3 * 235)
    return {"size": img.size, "inked": inked / len(pixels), "colours": {"#%02X%02X%02X" % p for p in set(pixels)}}


def near(colours: set[str], wanted: str, tolerance: int = 12) -> bool:
    w = [int(wanted[i:i + 2], 16) for i in (1, 3, 5)]
    return any(all(abs(int(c[i:i + 2], 16) - w[j]) <= tolerance for j, i in enumerate((1, 3, 5))) for c in colours)
