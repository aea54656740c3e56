#!/usr/bin/env python3
"""Writes the 10-, 12- and 14-bit TIFF fixtures under tests/data/tiff/bits/.

Usage: make_tiff_bits_fixtures.py [REPO_ROOT]

Every file is written by OpenImageIO (`oiio:BitsPerSample` on 16-bit data:
libtiff stores the samples packed most significant bit first, each row
padded to a whole byte), little-endian, with and without alpha, grey,
uncompressed, LZW and Deflate; 64x48 pixels of a deterministic pattern in
[0, 1]. OpenImageIO 3.2 writes packed samples contiguous only (asked for
`tiff:planarconfig` separate, it writes contiguous), so planar 10-, 12- and
14-bit files come from libtiff's own test pictures instead
(tests/data/public/oiio-images/libtiffpic/depth/flower-rgb-planar-*.tif,
big-endian). The tests compare grade with OpenImageIO reading the same
files.
"""
import os
import sys

import numpy as np
import OpenImageIO as oiio

W, H = 64, 48

# (file, bits, channels, compression)
FILES = [
    ("rgb10.tif", 10, 3, "none"),
    ("rgb12.tif", 12, 3, "none"),
    ("rgb14.tif", 14, 3, "none"),
    ("rgba10_lzw.tif", 10, 4, "lzw"),
    ("rgba12_zip.tif", 12, 4, "zip"),
    ("rgb14_zip.tif", 14, 3, "zip"),
    ("grey12.tif", 12, 1, "none"),
    ("grey10_lzw.tif", 10, 1, "lzw"),
]


def pattern(w, h, channels):
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    planes = [
        x / (w - 1),
        y / (h - 1),
        0.5 + 0.5 * np.sin(0.3 * x + 0.2 * y),
        np.clip((x + y) / (w + h - 2), 0, 1),
    ]
    return np.stack(planes[:channels], axis=-1).astype(np.float32)


def main() -> int:
    root = sys.argv[1] if len(sys.argv) > 1 else os.getcwd()
    out_dir = os.path.join(root, "tests/data/tiff/bits")
    os.makedirs(out_dir, exist_ok=True)
    for name, bits, channels, compression in FILES:
        path = os.path.join(out_dir, name)
        spec = oiio.ImageSpec(W, H, channels, oiio.UINT16)
        spec.attribute("oiio:BitsPerSample", bits)
        spec.attribute("compression", compression)
        spec.attribute("Software", "make_tiff_bits_fixtures.py")
        if channels == 4:
            spec.alpha_channel = 3
        out = oiio.ImageOutput.create(path)
        if out is None or not out.open(path, spec):
            raise RuntimeError(oiio.geterror())
        if not out.write_image(pattern(W, H, channels)):
            raise RuntimeError(out.geterror())
        out.close()
        check = oiio.ImageInput.open(path)
        got = check.spec()
        assert got.get_int_attribute("oiio:BitsPerSample") == bits, name
        check.close()
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
