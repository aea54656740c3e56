#!/usr/bin/env python3
"""Writes the small DPX fixtures in tests/data/dpx/ with OpenImageIO.

Usage: .venv/bin/python scripts/reference/make_dpx_fixtures.py [OUTDIR]

Most fixtures are written by OpenImageIO's DPX writer, covering 8/10/12/16
bits, 10-bit filled methods A and B and packed, both byte orders, RGB, RGBA
and luma, with timecode, user bits, frame rate and reel (input device)
attributes. OpenImageIO cannot write three layouts grade reads (its writer
forces 12-bit and 1-channel 10-bit data to "packed"), so those are made by
taking an OpenImageIO-written 16-bit file of the same size and replacing the
bit depth, packing and pixel data (SMPTE 268M offsets: bit depth at byte
803, packing at 804, file size at 16, image data offset at 4):
12-bit filled method A and B, and 10-bit filled method A luma (laid out the
way OpenImageIO's reader expects 1-channel filled data: first sample in the
low bits of each word). One more copy has a wrong total file-size field.

grade's tests decode every file here and compare with OpenImageIO's read
of the same file (scripts/reference/oiio_dump.py).
"""
import os
import struct
import sys

import numpy as np
import OpenImageIO as oiio

W, H = 7, 4  # odd width: rows of 10-bit RGBA and packed data end mid-word
LUMA_W = 6  # OpenImageIO reads 1-channel 10-bit filled rows whole words at a time


def picture(w, h, nc):
    y, x, c = np.meshgrid(np.arange(h), np.arange(w), np.arange(nc), indexing="ij")
    v = ((x * 37 + y * 101 + c * 59) % 97) / 96.0
    v[0, 0, :] = 0.0
    v[-1, -1, :] = 1.0
    return v.astype(np.float32)


def metadata(spec, variant):
    spec.attribute("dpx:TimeCode", "01:02:03:04" if variant == 0 else "10:59:58;29")
    spec.attribute("dpx:UserBits", 0x12345678 if variant == 0 else 0)
    spec.attribute("dpx:FrameRate", 24.0 if variant == 0 else 29.97)
    if variant == 1:
        # Both rates set: the film header's wins.
        spec.attribute("dpx:TemporalFrameRate", 25.0)
    spec.attribute("dpx:InputDevice", "A001R2AB" if variant == 0 else "TAPE_0042")
    spec.attribute("dpx:FrameId", "KF0001")
    spec.attribute("dpx:SlateInfo", "SC12 TK3")
    spec.attribute("dpx:SourceImageFileName", "A001C003_250101.0001001.dpx")
    spec.attribute("Software", "make_dpx_fixtures.py")
    spec.attribute("DocumentName", "grade fixtures")
    spec.attribute("Copyright", "Public domain test pattern")


def write_oiio(path, nc, bits, packing, endian, variant=0, w=W, h=H):
    fmt = "uint8" if bits == 8 else "uint16"
    spec = oiio.ImageSpec(w, h, nc, fmt)
    if nc == 1:
        spec.channelnames = ("Y",)
    if bits != 8:
        spec.attribute("oiio:BitsPerSample", bits)
    if packing:
        spec.attribute("dpx:Packing", packing)
    spec.attribute("oiio:Endian", endian)
    metadata(spec, variant)
    out = oiio.ImageOutput.create(path)
    if not out.open(path, spec):
        raise RuntimeError(out.geterror())
    if not out.write_image(picture(w, h, nc)):
        raise RuntimeError(out.geterror())
    out.close()


def patch(src, dst, bits, packing, data):
    raw = bytearray(open(src, "rb").read())
    e = ">" if raw[:4] == b"SDPX" else "<"
    offset = struct.unpack(e + "I", raw[4:8])[0]
    raw = raw[:offset] + data
    raw[803] = bits
    raw[804:806] = struct.pack(e + "H", packing)
    raw[16:20] = struct.pack(e + "I", len(raw))
    open(dst, "wb").write(bytes(raw))
    os.remove(src)
    return e


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/dpx"
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, name)
    A, B, P = "Filled, method A", "Filled, method B", "Packed"
    plan = [
        ("rgb_8_be.dpx", 3, 8, None, "big", 0),
        ("rgb_10a_be.dpx", 3, 10, A, "big", 0),
        ("rgb_10a_le.dpx", 3, 10, A, "little", 1),
        ("rgb_10b_be.dpx", 3, 10, B, "big", 1),
        ("rgb_10b_le.dpx", 3, 10, B, "little", 0),
        ("rgb_10p_be.dpx", 3, 10, P, "big", 0),
        ("rgb_10p_le.dpx", 3, 10, P, "little", 1),
        ("rgb_12p_be.dpx", 3, 12, None, "big", 0),
        ("rgb_12p_le.dpx", 3, 12, None, "little", 1),
        ("rgb_16_be.dpx", 3, 16, None, "big", 1),
        ("rgb_16_le.dpx", 3, 16, None, "little", 0),
        ("rgba_8_le.dpx", 4, 8, None, "little", 1),
        ("rgba_10a_be.dpx", 4, 10, A, "big", 0),
        ("rgba_10b_le.dpx", 4, 10, B, "little", 1),
        ("rgba_12p_be.dpx", 4, 12, None, "big", 0),
        ("rgba_16_be.dpx", 4, 16, None, "big", 0),
        ("luma_8_be.dpx", 1, 8, None, "big", 0),
        ("luma_10p_le.dpx", 1, 10, None, "little", 1),
        ("luma_16_be.dpx", 1, 16, None, "big", 1),
    ]
    for name, nc, bits, packing, endian, variant in plan:
        write_oiio(p(name), nc, bits, packing, endian, variant)

    # 12-bit filled, method A (high 12 bits) and B (low 12 bits).
    for name, endian, method in [("rgb_12a_be.dpx", "big", 1), ("rgb_12b_le.dpx", "little", 2)]:
        tmp = p("tmp16.dpx")
        write_oiio(tmp, 3, 16, None, endian, 0)
        codes = np.round(picture(W, H, 3) * 4095).astype(np.uint16)
        if method == 1:
            codes = codes << 4
        e = ">" if endian == "big" else "<"
        patch(tmp, p(name), 12, method, codes.astype(e + "u2").tobytes())

    # 10-bit filled method A luma, three samples a word, first in the low bits.
    tmp = p("tmp16.dpx")
    write_oiio(tmp, 1, 16, None, "big", 0, w=LUMA_W)
    codes = np.round(picture(LUMA_W, H, 1)[:, :, 0] * 1023).astype(np.uint32)
    words = []
    for row in codes:
        for i in range(0, LUMA_W, 3):
            words.append((row[i] << 2) | (row[i + 1] << 12) | (row[i + 2] << 22))
    patch(tmp, p("luma_10a_be.dpx"), 10, 1, np.array(words, dtype=">u4").tobytes())

    # A wrong total file-size field (pixel data all there).
    raw = bytearray(open(p("rgb_10a_be.dpx"), "rb").read())
    raw[16:20] = struct.pack(">I", 123)
    open(p("rgb_10a_be_wrong_size.dpx"), "wb").write(bytes(raw))
    return 0


if __name__ == "__main__":
    sys.exit(main())
