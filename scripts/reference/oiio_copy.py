#!/usr/bin/env python3
"""Rewrites an image with OpenImageIO, keeping its pixel format and metadata.

Usage: oiio_copy.py INPUT OUTPUT

Used by grade's round-trip tests: a frame grade wrote is read and written
again by OpenImageIO (as `oiiotool INPUT -o OUTPUT` would), then read back
by grade, which must get the same values and metadata (timecode, frame
rate, reel name).
"""
import sys

import OpenImageIO as oiio


def main() -> int:
    src, dst = sys.argv[1], sys.argv[2]
    buf = oiio.ImageBuf(src)
    if buf.has_error:
        print(buf.geterror(), file=sys.stderr)
        return 1
    spec = buf.spec()
    if not buf.write(dst, spec.format):
        print(buf.geterror(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
