#!/usr/bin/env python3
"""Writes the luminance/chroma EXR fixtures under tests/data/exr/yca/.

Usage: make_exr_yca_fixtures.py [REPO_ROOT]

Luminance/chroma files (Y, RY, BY) are what OpenEXR's RGBA interface
(RgbaOutputFile with WRITE_Y, WRITE_YA, WRITE_YC or WRITE_YCA) writes: it
turns RGB into luminance and two chroma channels with the header's
chromaticities, low-pass filters the chroma, keeps one chroma sample per
2x2 pixels and rounds both. No writer on PyPI does this: OpenImageIO
writes R, G, B (an `openexr:luminancechroma` attribute is stored as a plain
attribute and changes nothing), and the OpenEXR Python bindings write the
channels they are given without converting. So these files are written by
OpenEXR's own C++ library (Debian's libopenexr-dev, OpenEXR 3.1) through
exr_rgba_write.cpp beside this script, which is compiled here, from a
deterministic pattern.

OpenImageIO 3.2 does not read sub-sampled channels, so the reference for
each file with chroma is what OpenEXR's RgbaInputFile reads from it (the
reader the issue names), written by exr_rgba_read.cpp as a plain RGBA half
file under reference/ with the same name; the tests read that reference
with OpenImageIO. Files without chroma (Y, YA) and the scanline file with a
tile description are compared with OpenImageIO reading them directly.

Also written by OpenEXR: a scanline file whose header carries a tile
description (a `tiles` attribute, as a header copied from a tiled file
keeps it) with `type` scanlineimage, written through MultiPartOutputFile
(one part), which leaves the version field's tiled flag clear. OpenEXR
reads it as scanlines and ignores the tile description.

Needs: g++, pkg-config and libopenexr-dev (apt-get install libopenexr-dev).
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

W, H = 64, 48  # chroma is sub-sampled 2x2: even sizes, as OpenEXR requires

# (file, channels, compression, line order, primaries, tiles)
FILES = [
    ("yc_none.exr", "YC", "none", "increasing", "rec709", "none"),
    ("yca_rle.exr", "YCA", "rle", "increasing", "rec709", "none"),
    ("yc_zips.exr", "YC", "zips", "increasing", "rec709", "none"),
    ("yca_zip.exr", "YCA", "zip", "increasing", "rec709", "none"),
    ("yc_piz.exr", "YC", "piz", "increasing", "rec709", "none"),
    ("yc_pxr24.exr", "YC", "pxr24", "increasing", "rec709", "none"),
    ("yc_b44.exr", "YC", "b44", "increasing", "rec709", "none"),
    ("yca_b44a.exr", "YCA", "b44a", "increasing", "rec709", "none"),
    ("yc_p3_zip.exr", "YC", "zip", "increasing", "p3", "none"),
    ("yc_decreasing_piz.exr", "YC", "piz", "decreasing", "rec709", "none"),
    ("y_zip.exr", "Y", "zip", "increasing", "rec709", "none"),
    ("ya_b44.exr", "YA", "b44", "increasing", "rec709", "none"),
    ("scanline_with_tiles_attr.exr", "RGBA", "zip", "increasing", "rec709", "16x16"),
]


def pattern(w, h):
    """RGBA with saturated and grey areas, values above 1, a few below 0
    (RgbaOutputFile clamps negative RGB to 0 for luminance/chroma), and
    sharp edges that the chroma filter rings on."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    r = 0.02 + 1.8 * x / (w - 1)
    g = 0.05 + 1.2 * y / (h - 1)
    b = 0.5 + 0.5 * np.sin(0.3 * x + 0.2 * y)
    # A grey band (equal R, G, B: stored as chroma 0) and a hard-edged
    # saturated square (exercises the saturation fix on reading).
    grey = (y >= 20) & (y < 26)
    r[grey] = g[grey] = b[grey] = (x[grey] / (w - 1)).astype(np.float32)
    sq = (x >= 40) & (x < 52) & (y >= 6) & (y < 18)
    r[sq], g[sq], b[sq] = 4.0, 0.0, 0.1
    r[(x < 3) & (y < 3)] = -0.5
    a = np.clip((x + y) / (w + h - 2), 0, 1)
    return np.stack([r, g, b, a], axis=-1).astype("<f4")


def main() -> int:
    root = sys.argv[1] if len(sys.argv) > 1 else os.getcwd()
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = os.path.join(root, "tests/data/exr/yca")
    os.makedirs(out_dir, exist_ok=True)
    flags = subprocess.run(
        ["pkg-config", "--cflags", "--libs", "OpenEXR"],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    pixels = pattern(W, H).tobytes()
    with tempfile.TemporaryDirectory() as tmp:
        exe = {}
        for tool in ("exr_rgba_write", "exr_rgba_read"):
            exe[tool] = os.path.join(tmp, tool)
            subprocess.run(
                ["g++", "-O2", "-o", exe[tool], os.path.join(here, tool + ".cpp")] + flags,
                check=True,
            )
        ref_dir = os.path.join(out_dir, "reference")
        os.makedirs(ref_dir, exist_ok=True)
        for name, channels, comp, order, prim, tiles in FILES:
            path = os.path.join(out_dir, name)
            subprocess.run(
                [exe["exr_rgba_write"], path, str(W), str(H), channels, comp, order, prim, tiles],
                input=pixels, check=True,
            )
            print(f"wrote {path}")
            if "C" in channels:
                ref = os.path.join(ref_dir, name)
                subprocess.run([exe["exr_rgba_read"], path, ref], check=True)
                print(f"wrote {ref} (as OpenEXR's RgbaInputFile reads {name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
