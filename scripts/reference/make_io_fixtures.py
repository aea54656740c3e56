#!/usr/bin/env python3
"""Writes the small EXR and TIFF fixtures under tests/data/exr and tests/data/tiff.

Usage: make_io_fixtures.py [REPO_ROOT]

Every file is written by OpenImageIO (the reference), except the big-endian
TIFFs, which are laid out byte by byte here because libtiff writes the
machine's byte order; OpenImageIO reads those back as the reference in the
tests. The pixel pattern is deterministic: ramps with values below 0 and
above 1, so half, float and integer paths are all exercised.
"""
import os
import struct
import sys

import numpy as np
import OpenImageIO as oiio

W, H = 67, 45  # odd sizes: partial tiles, partial 16/32-line blocks


def pattern(w, h, channels, lo=-0.25, hi=2.0):
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    planes = [
        lo + (hi - lo) * x / max(w - 1, 1),
        lo + (hi - lo) * y / max(h - 1, 1),
        0.5 + 0.5 * np.sin(0.3 * x + 0.2 * y),
        np.clip((x + y) / (w + h - 2), 0, 1),
    ]
    return np.stack(planes[:channels], axis=-1).astype(np.float32)


def unit_pattern(w, h, channels):
    return np.clip(pattern(w, h, channels), 0.0, 1.0)


def write(path, spec, pixels, subimages=None):
    out = oiio.ImageOutput.create(path)
    if out is None:
        raise RuntimeError(oiio.geterror())
    if subimages:
        specs = [s for s, _ in subimages]
        if not out.open(path, specs):
            raise RuntimeError(out.geterror())
        for i, (s, p) in enumerate(subimages):
            if i > 0 and not out.open(path, s, "AppendSubimage"):
                raise RuntimeError(out.geterror())
            if not out.write_image(p):
                raise RuntimeError(out.geterror())
    else:
        if not out.open(path, spec):
            raise RuntimeError(out.geterror())
        if not out.write_image(pixels):
            raise RuntimeError(out.geterror())
    out.close()


def bcd(v):
    return ((v // 10) << 4) | (v % 10)


def timecode_words(h, m, s, f, user_bits):
    """SMPTE 12M time-and-flags word as OpenEXR stores it, plus user bits."""
    return [bcd(f) | (bcd(s) << 8) | (bcd(m) << 16) | (bcd(h) << 24), user_bits]


def exr_fixtures(root):
    d = os.path.join(root, "tests/data/exr")
    os.makedirs(d, exist_ok=True)
    rgba = pattern(W, H, 4)
    for comp in ["none", "rle", "zips", "zip", "piz", "pxr24", "b44", "b44a", "dwaa", "dwab"]:
        spec = oiio.ImageSpec(W, H, 4, oiio.HALF)
        spec.attribute("compression", comp)
        write(os.path.join(d, f"comp_{comp}.exr"), spec, rgba)

    spec = oiio.ImageSpec(W, H, 3, oiio.FLOAT)
    spec.attribute("compression", "zip")
    write(os.path.join(d, "float_rgb.exr"), spec, pattern(W, H, 3))

    spec = oiio.ImageSpec(W, H, 3, oiio.UINT32)
    spec.attribute("compression", "zip")
    u = np.round(unit_pattern(W, H, 3).astype(np.float64) * 4294967295.0).clip(0, 4294967295).astype(np.uint32)
    write(os.path.join(d, "uint_rgb.exr"), spec, u)

    spec = oiio.ImageSpec(W, H, 1, oiio.HALF)
    spec.channelnames = ("Y",)
    write(os.path.join(d, "luminance_y.exr"), spec, pattern(W, H, 1))

    spec = oiio.ImageSpec(W, H, 1, oiio.FLOAT)
    spec.channelnames = ("Z",)
    write(os.path.join(d, "single_z.exr"), spec, pattern(W, H, 1, 0.0, 100.0))

    spec = oiio.ImageSpec(W, H, 4, oiio.HALF)
    spec.tile_width = 16
    spec.tile_height = 16
    spec.attribute("compression", "zip")
    write(os.path.join(d, "tiled_rgba.exr"), spec, rgba)

    # Data window inside the display window, and one poking outside it.
    spec = oiio.ImageSpec(40, 30, 4, oiio.HALF)
    spec.x, spec.y = 10, 7
    spec.full_x, spec.full_y, spec.full_width, spec.full_height = 0, 0, W, H
    write(os.path.join(d, "window_inside.exr"), spec, pattern(40, 30, 4))
    spec = oiio.ImageSpec(80, 50, 3, oiio.HALF)
    spec.x, spec.y = -5, -3
    spec.full_x, spec.full_y, spec.full_width, spec.full_height = 0, 0, W, H
    write(os.path.join(d, "window_outside.exr"), spec, pattern(80, 50, 3))

    # Two parts: the first is read.
    s1 = oiio.ImageSpec(W, H, 4, oiio.HALF)
    s1.attribute("oiio:subimagename", "beauty")
    s2 = oiio.ImageSpec(W, H, 1, oiio.FLOAT)
    s2.channelnames = ("Z",)
    s2.attribute("oiio:subimagename", "depth")
    write(os.path.join(d, "multipart.exr"), None, None,
          subimages=[(s1, rgba), (s2, pattern(W, H, 1))])

    # Editorial metadata: timecode 01:02:03:04 with user bits, 24000/1001 fps, reel.
    spec = oiio.ImageSpec(W, H, 3, oiio.HALF)
    spec.attribute("smpte:TimeCode", oiio.TypeDesc("timecode"), timecode_words(1, 2, 3, 4, 0x12345678))
    # OpenImageIO writes these names as given: use the standard EXR spelling.
    spec.attribute("framesPerSecond", oiio.TypeDesc("rational"), [24000, 1001])
    spec.attribute("reelName", "A001C003")
    spec.attribute("owner", "Example Pictures")
    spec.attribute("software", "make_io_fixtures.py")
    write(os.path.join(d, "editorial.exr"), spec, pattern(W, H, 3))


def tiff_fixtures(root):
    d = os.path.join(root, "tests/data/tiff")
    os.makedirs(d, exist_ok=True)
    rgb = unit_pattern(W, H, 3)
    rgba = unit_pattern(W, H, 4)
    cases = [
        ("rgb8.tif", 3, oiio.UINT8, {"compression": "none"}),
        ("rgb16.tif", 3, oiio.UINT16, {"compression": "none"}),
        ("rgba16.tif", 4, oiio.UINT16, {"compression": "none"}),
        ("rgba8_lzw.tif", 4, oiio.UINT8, {"compression": "lzw"}),
        ("rgb16_zip.tif", 3, oiio.UINT16, {"compression": "zip"}),
        ("rgb16_planar.tif", 3, oiio.UINT16, {"tiff:planarconfig": "separate"}),
        ("rgb_float.tif", 3, oiio.FLOAT, {}),
        ("rgba_float_planar.tif", 4, oiio.FLOAT, {"tiff:planarconfig": "separate"}),
        ("grey8.tif", 1, oiio.UINT8, {"compression": "packbits"}),
        ("grey16.tif", 1, oiio.UINT16, {}),
    ]
    for name, nch, fmt, attrs in cases:
        spec = oiio.ImageSpec(W, H, nch, fmt)
        if nch == 1:
            spec.channelnames = ("Y",)
        for k, v in attrs.items():
            spec.attribute(k, v)
        src = rgba if nch == 4 else (rgb if nch == 3 else rgb[..., :1])
        write(os.path.join(d, name), spec, src)
    be_tiff(os.path.join(d, "rgb16_big_endian.tif"), rgb, 16)
    be_tiff(os.path.join(d, "rgb_float_big_endian.tif"), pattern(W, H, 3), 32)


def be_tiff(path, pixels, bits):
    """A minimal big-endian ('MM') uncompressed contiguous RGB TIFF."""
    h, w, c = pixels.shape
    if bits == 16:
        data = (np.round(pixels * 65535.0)).astype(">u2").tobytes()
        fmt = 1
    else:
        data = pixels.astype(">f4").tobytes()
        fmt = 3
    entries = []
    bps_offset = 8 + len(data)
    extra = struct.pack(">HHH", bits, bits, bits)
    fmt_offset = bps_offset + len(extra)
    extra += struct.pack(">HHH", fmt, fmt, fmt)
    ifd_offset = fmt_offset + 6
    def entry(tag, typ, count, value):
        if typ == 3 and count == 1:
            return struct.pack(">HHIHH", tag, typ, count, value, 0)
        return struct.pack(">HHII", tag, typ, count, value)
    entries = [
        entry(256, 4, 1, w),
        entry(257, 4, 1, h),
        entry(258, 3, 3, bps_offset),
        entry(259, 3, 1, 1),
        entry(262, 3, 1, 2),
        entry(273, 4, 1, 8),
        entry(277, 3, 1, 3),
        entry(278, 4, 1, h),
        entry(279, 4, 1, len(data)),
        entry(284, 3, 1, 1),
        entry(339, 3, 3, fmt_offset),
    ]
    ifd = struct.pack(">H", len(entries)) + b"".join(entries) + struct.pack(">I", 0)
    with open(path, "wb") as f:
        f.write(b"MM" + struct.pack(">HI", 42, ifd_offset) + data + extra + ifd)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../..")
    exr_fixtures(root)
    tiff_fixtures(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
