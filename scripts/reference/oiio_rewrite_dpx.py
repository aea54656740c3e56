#!/usr/bin/env python3
"""Reads a DPX with OpenImageIO and writes it again, keeping its metadata.

Usage: oiio_rewrite_dpx.py IN OUT BITS PACKING ENDIAN

BITS is 8, 10, 12 or 16; PACKING an OpenImageIO `dpx:Packing` value
("Filled, method A", "Filled, method B", "Packed"); ENDIAN "big" or
"little" (`oiio:Endian`). Pixels travel as the file's own integer type
(uint8 or uint16), never through float. grade's round-trip tests use this
to check that what grade writes, OpenImageIO reads and rewrites, and grade
reads back, is unchanged.
"""
import sys

import OpenImageIO as oiio


def main() -> int:
    src, dst, bits, packing, endian = sys.argv[1:6]
    bits = int(bits)
    inp = oiio.ImageInput.open(src)
    if inp is None:
        print(oiio.geterror(), file=sys.stderr)
        return 1
    spec = oiio.ImageSpec(inp.spec())
    fmt = "uint8" if bits == 8 else "uint16"
    pixels = inp.read_image(fmt)
    inp.close()
    spec.set_format(fmt)
    if bits != 8:
        spec.attribute("oiio:BitsPerSample", bits)
    spec.attribute("dpx:Packing", packing)
    spec.attribute("oiio:Endian", endian)
    out = oiio.ImageOutput.create(dst)
    if not out.open(dst, spec) or not out.write_image(pixels):
        print(out.geterror(), file=sys.stderr)
        return 1
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
