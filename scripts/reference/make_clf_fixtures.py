#!/usr/bin/env python3
"""Writes the CLF and CDL fixtures under tests/data/clf with OpenColorIO.

Usage: make_clf_fixtures.py [REPO_ROOT]

Each file is written by OpenColorIO's own writers (GroupTransform.write),
then read back through a FileTransform to check that OpenColorIO loads it
as intended:

- look_no_interpolation.xml: a CLF published under an .xml name, as the
  Academy publishes its looks; a LUT1D and a LUT3D whose <LUT3D> names no
  interpolation (CLF's default, trilinear, applies).
- look_tetrahedral.clf, look_trilinear.xml: the same lattice naming its
  interpolation.
- nan_inf.clf: LUT1D and LUT3D entries written as NaN, -nan, Inf, INF,
  Infinity and -infinity. OpenColorIO writes "nan"/"inf"; the spellings
  other writers use are put in afterwards, and the file is read back.
- grades.xml: a ColorDecisionList of two corrections under an .xml name.

The tests compare grade with OpenColorIO on these files (engine/tests/
ocio_parity.rs) and check what `grade lut info` and `grade apply` make of
them (tests/cli/formats.rs).
"""
import itertools
import math
import os
import sys

import numpy as np
import PyOpenColorIO as ocio

CLF = "Academy/ASC Common LUT Format"
SIZE = 9  # small, and coarse enough that trilinear and tetrahedral differ


def look(r, g, b):
    """A look over [0,1] that mixes channels, so interpolation shows."""

    def s(x):
        x = min(max(x, 0.0), 1.0)
        return 0.5 * (x + x * x * (3.0 - 2.0 * x))

    return (
        s(0.8 * r + 0.15 * g + 0.05 * b),
        s(0.1 * r + 0.75 * g + 0.15 * b) ** 1.1,
        s(0.05 * r + 0.2 * g + 0.75 * b) * 0.95 + 0.02,
    )


def lattice(interp):
    lut = ocio.Lut3DTransform(gridSize=SIZE)
    step = 1.0 / (SIZE - 1)
    for i, j, k in itertools.product(range(SIZE), repeat=3):
        lut.setValue(i, j, k, *look(i * step, j * step, k * step))
    if interp is not None:
        lut.setInterpolation(interp)
    return lut


def shaper():
    lut = ocio.Lut1DTransform(length=64)
    for i in range(64):
        x = i / 63.0
        lut.setValue(i, x**0.9, x**0.95, x)
    return lut


def write_group(path, transforms):
    group = ocio.GroupTransform()
    for t in transforms:
        group.appendTransform(t)
    text = group.write(formatName=CLF, config=ocio.Config.CreateRaw())
    with open(path, "w") as f:
        f.write(text)
    return text


def apply(path, interp, rgb):
    proc = ocio.Config.CreateRaw().getProcessor(
        ocio.FileTransform(src=path, interpolation=interp)
    )
    px = np.array([list(rgb) + [1.0]], dtype=np.float32)
    proc.getOptimizedCPUProcessor(ocio.OPTIMIZATION_NONE).applyRGBA(px)
    return px[0, :3]


# Every spelling the CLF tests must read, in the order they are put in.
SPELLINGS = {
    "nan": ["NaN", "-nan", "nan"],
    "inf": ["Inf", "INF", "Infinity"],
    "-inf": ["-infinity", "-INF", "-inf"],
}


def respell(text):
    """Puts the other spellings of NaN and infinity in the Array text."""
    cycles = {k: itertools.cycle(v) for k, v in SPELLINGS.items()}
    out = []
    for word in text.split(" "):
        key = word.strip().lower()
        if key in cycles:
            word = word.replace(word.strip(), next(cycles[key]))
        out.append(word)
    return " ".join(out)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.getcwd()
    out = os.path.join(root, "tests/data/clf")
    os.makedirs(out, exist_ok=True)

    files = {
        "look_no_interpolation.xml": None,
        "look_tetrahedral.clf": ocio.INTERP_TETRAHEDRAL,
        "look_trilinear.xml": ocio.INTERP_LINEAR,
    }
    for name, interp in files.items():
        text = write_group(os.path.join(out, name), [shaper(), lattice(interp)])
        has_attr = "interpolation=" in text
        assert has_attr == (interp is not None), (name, has_attr)

    # The file without an attribute reads as OpenColorIO's default, which
    # is trilinear for a LUT3D; tetrahedral differs on this lattice.
    probe = (0.3, 0.62, 0.17)
    default = apply(os.path.join(out, "look_no_interpolation.xml"), ocio.INTERP_DEFAULT, probe)
    trilinear = apply(os.path.join(out, "look_trilinear.xml"), ocio.INTERP_LINEAR, probe)
    tetra = apply(os.path.join(out, "look_tetrahedral.clf"), ocio.INTERP_TETRAHEDRAL, probe)
    assert np.array_equal(default, trilinear), (default, trilinear)
    assert np.abs(default - tetra).max() > 1e-4, (default, tetra)

    # NaN and infinities: a LUT1D with one in each of its first rows, a
    # LUT3D with some at corners. Positive and negative infinities are kept
    # in different channels so no interpolation subtracts one from the other.
    lut1 = ocio.Lut1DTransform(length=16)
    for i in range(16):
        x = i / 15.0
        lut1.setValue(i, x, x * x, math.sqrt(x))
    lut1.setValue(0, float("nan"), 0.0, float("nan"))
    lut1.setValue(15, float("inf"), float("inf"), 1.0)
    lut1.setValue(7, 0.4, float("nan"), 0.6)
    lut1.setValue(13, 13 / 15.0, 0.75, float("-inf"))
    lut1.setValue(14, 14 / 15.0, 0.87, float("-inf"))
    lut3 = ocio.Lut3DTransform(gridSize=3)
    for i, j, k in itertools.product(range(3), repeat=3):
        lut3.setValue(i, j, k, i / 2.0, j / 2.0, k / 2.0)
    lut3.setValue(2, 2, 2, float("inf"), float("nan"), 1.0)
    lut3.setValue(0, 0, 0, 0.0, float("nan"), float("-inf"))
    lut3.setValue(2, 0, 1, float("inf"), 0.0, 0.5)
    lut3.setValue(1, 1, 1, float("nan"), float("nan"), float("nan"))
    path = os.path.join(out, "nan_inf.clf")
    text = write_group(path, [lut1, lut3])
    text = respell(text)
    with open(path, "w") as f:
        f.write(text)
    for spellings in SPELLINGS.values():
        for s in spellings:
            assert s in text, (s, "not written")
    # OpenColorIO reads the respelled file as it wrote it.
    group = ocio.Config.CreateRaw().getProcessor(ocio.FileTransform(src=path)).createGroupTransform()
    assert math.isnan(group[0].getValue(0)[0]) and math.isinf(group[0].getValue(15)[0])
    assert math.isinf(group[1].getValue(0, 0, 0)[2]) and group[1].getValue(0, 0, 0)[2] < 0

    # A ColorDecisionList under an .xml name.
    cdls = []
    for cid, slope, sat in [("sh010", (1.1, 1.0, 0.9), 0.9), ("sh020", (0.95, 1.0, 1.08), 1.1)]:
        cdl = ocio.CDLTransform()
        cdl.setID(cid)
        cdl.setSlope(slope)
        cdl.setOffset((0.01, -0.005, 0.0))
        cdl.setPower((1.0, 1.05, 0.97))
        cdl.setSat(sat)
        cdls.append(cdl)
    group = ocio.GroupTransform()
    for c in cdls:
        group.appendTransform(c)
    with open(os.path.join(out, "grades.xml"), "w") as f:
        f.write(group.write(formatName="ColorDecisionList", config=ocio.Config.CreateRaw()))

    print(f"wrote {len(files) + 2} files under {out}")


if __name__ == "__main__":
    main()
