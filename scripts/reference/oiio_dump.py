#!/usr/bin/env python3
"""Reads an image with OpenImageIO and dumps it for grade's tests.

Usage: oiio_dump.py FILE

Writes to stdout one JSON line (width, height, channel names, the file's
pixel format, display and data windows, and every attribute OIIO reports),
then the pixels of the display window as little-endian float32, all
channels interleaved, rows top to bottom. Pixels outside the data window
are 0, as OpenEXR defines them.
"""
import json
import sys

import numpy as np
import OpenImageIO as oiio


def main() -> int:
    path = sys.argv[1]
    buf = oiio.ImageBuf(path)
    if buf.has_error:
        print(buf.geterror(), file=sys.stderr)
        return 1
    spec = buf.spec()
    full = buf.roi_full
    pixels = buf.get_pixels(oiio.FLOAT, full)
    if pixels is None or buf.has_error:
        print(buf.geterror(), file=sys.stderr)
        return 1
    attrs = {}
    for a in spec.extra_attribs:
        v = a.value
        if isinstance(v, (bytes, bytearray)):
            v = v.hex()
        elif isinstance(v, tuple):
            v = list(v)
        elif not isinstance(v, (int, float, str, list)):
            v = str(v)
        attrs[a.name] = v
    header = {
        "reference": "OpenImageIO " + oiio.__version__,
        "width": full.width,
        "height": full.height,
        "nchannels": spec.nchannels,
        "channels": list(spec.channelnames),
        "format": str(spec.format),
        "display_window": [full.xbegin, full.ybegin, full.xend, full.yend],
        "data_window": [spec.x, spec.y, spec.x + spec.width, spec.y + spec.height],
        "attributes": attrs,
    }
    out = sys.stdout.buffer
    out.write(json.dumps(header).encode() + b"\n")
    out.write(np.ascontiguousarray(pixels, dtype="<f4").tobytes())
    return 0


if __name__ == "__main__":
    sys.exit(main())
