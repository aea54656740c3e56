#!/usr/bin/env python3
"""Records OpenColorIO reference values for grade's built-in colour spaces
into tests/data/builtin/<name>.json.

Each built-in is compared with the OpenColorIO transform of the same meaning:
a BuiltinTransform style where OCIO has one (camera log curves, ACES spaces,
displays, PQ and HLG curves), else the colour space of the same name in OCIO's
own ACES studio config (Blackmagic and DaVinci spaces are defined there, not
as BuiltinTransforms). Gamut matrices OCIO only holds inside a display
built-in (CIE XYZ D65 to Rec.2020) are read out of that built-in, never typed.

Each file holds our colour-space name, what OCIO ran, the working range of the
encoded input, rows of [r, g, b] encoded inputs with OCIO's ACES2065-1 output
("rows", encoded -> ACES2065-1), and rows of ACES2065-1 inputs with OCIO's
encoded output ("inverse_rows", ACES2065-1 -> encoded), all computed with
OCIO's CPU processor in f32 at OPTIMIZATION_LOSSLESS: OCIO's default
processor replaces pow/log2/exp2 with fast SSE approximations
(OPTIMIZATION_FAST_LOG_EXP_POW, e.g. 1.0 ** 2.4 gives 1.0000241) and inverts
1D LUTs through an approximate table (OPTIMIZATION_LUT_INV_FAST); the
reference is OCIO's exact maths. The script prints how far the default
processor is from it.

Run: .venv/bin/python scripts/reference/ocio_builtin.py
"""
import json
import os

import PyOpenColorIO as ocio

FWD = ocio.TRANSFORM_DIR_FORWARD
INV = ocio.TRANSFORM_DIR_INVERSE
RAW = ocio.Config.CreateRaw()
STUDIO = "studio-config-v5.0.0_aces-v2.1_ocio-v2.6"

AP0_TO_XYZ = "UTILITY - ACES-AP0_to_CIE-XYZ-D65_BFD"


def builtin(style, direction=FWD):
    return ocio.BuiltinTransform(style=style, direction=direction)


def matrix_of(style, direction):
    """The first matrix of a built-in, as OCIO builds it."""
    group = RAW.getProcessor(builtin(style)).createGroupTransform()
    for t in group:
        if isinstance(t, ocio.MatrixTransform):
            return ocio.MatrixTransform(matrix=t.getMatrix(), offset=t.getOffset(),
                                        direction=direction)
    raise ValueError(style)


def group(*ts):
    return ocio.GroupTransform(list(ts))


def rec2020_to_aces():
    """Linear Rec.2020 -> CIE XYZ D65 -> ACES2065-1 (Bradford), as OCIO's
    display built-ins connect to ACES."""
    return [matrix_of("DISPLAY - CIE-XYZ-D65_to_REC.1886-REC.2020", INV),
            builtin(AP0_TO_XYZ, INV)]


def aces_to_rec2020():
    return [builtin(AP0_TO_XYZ),
            matrix_of("DISPLAY - CIE-XYZ-D65_to_REC.1886-REC.2020", FWD)]


def display(style):
    """An encoded display space <-> ACES2065-1 through CIE XYZ D65."""
    fwd = group(builtin(style, INV), builtin(AP0_TO_XYZ, INV))
    inv = group(builtin(AP0_TO_XYZ), builtin(style))
    return fwd, inv


def camera(style):
    return builtin(style), builtin(style, INV)


def studio(name):
    return ("studio", name)


CAMERA = (0.0, 1.0)
# (our name, (forward transform, inverse transform) or a studio-config colour
# space, working range of the encoded input, range of the ACES2065-1 input of
# the inverse direction)
CASES = [
    ("aces", (group(), group()), (-0.1, 64.0), (-0.1, 64.0)),
    ("acescg", camera("ACEScg_to_ACES2065-1"), (-0.1, 64.0), (-0.1, 64.0)),
    ("acescct", camera("ACEScct_to_ACES2065-1"), (0.0, 1.468), (-0.01, 64.0)),
    ("acescc", camera("ACEScc_to_ACES2065-1"), (-0.36, 1.5), (-0.01, 64.0)),
    ("logc3", camera("ARRI_ALEXA-LOGC-EI800-AWG_to_ACES2065-1"), CAMERA, (-0.01, 32.0)),
    ("logc4", camera("ARRI_LOGC4_to_ACES2065-1"), CAMERA, (-0.01, 64.0)),
    ("slog3", camera("SONY_SLOG3-SGAMUT3_to_ACES2065-1"), CAMERA, (-0.01, 32.0)),
    ("slog3-cine", camera("SONY_SLOG3-SGAMUT3.CINE_to_ACES2065-1"), CAMERA, (-0.01, 32.0)),
    ("vlog", camera("PANASONIC_VLOG-VGAMUT_to_ACES2065-1"), CAMERA, (-0.01, 32.0)),
    ("log3g10", camera("RED_LOG3G10-RWG_to_ACES2065-1"), CAMERA, (-0.01, 64.0)),
    ("clog2", camera("CANON_CLOG2-CGAMUT_to_ACES2065-1"), CAMERA, (-0.01, 32.0)),
    ("clog3", camera("CANON_CLOG3-CGAMUT_to_ACES2065-1"), CAMERA, (-0.01, 12.0)),
    ("bmdfilm5", studio("BMDFilm WideGamut Gen5"), CAMERA, (-0.01, 64.0)),
    ("davinci", studio("DaVinci Intermediate WideGamut"), CAMERA, (-0.01, 64.0)),
    ("srgb", display("DISPLAY - CIE-XYZ-D65_to_sRGB"), (0.0, 1.0), (-0.05, 1.2)),
    ("rec709", display("DISPLAY - CIE-XYZ-D65_to_REC.1886-REC.709"), (0.0, 1.0), (-0.05, 1.2)),
    ("rec2020", display("DISPLAY - CIE-XYZ-D65_to_REC.1886-REC.2020"), (0.0, 1.0), (-0.05, 1.2)),
    ("lin-rec709", studio("Linear Rec.709 (sRGB)"), (-0.1, 64.0), (-0.1, 64.0)),
    ("lin-rec2020", studio("Linear Rec.2020"), (-0.1, 64.0), (-0.1, 64.0)),
    ("pq", (group(builtin("CURVE - ST-2084_to_LINEAR"), *rec2020_to_aces()),
            group(*aces_to_rec2020(), builtin("CURVE - LINEAR_to_ST-2084"))),
     (0.0, 1.0), (0.0, 100.0)),
    ("hlg", (group(builtin("CURVE - HLG-OETF-INVERSE"), *rec2020_to_aces()),
             group(*aces_to_rec2020(), builtin("CURVE - HLG-OETF"))),
     (0.0, 1.0), (0.0, 3.0)),
]


def processors(how):
    """(forward, inverse, description), each processor a pair of the exact
    (lossless) and the default CPU processor."""
    def cpu(p):
        return (p.getOptimizedCPUProcessor(ocio.OPTIMIZATION_LOSSLESS),
                p.getDefaultCPUProcessor())
    if how[0] == "studio":
        cfg = ocio.Config.CreateFromBuiltinConfig(STUDIO)
        return (cpu(cfg.getProcessor(how[1], "ACES2065-1")),
                cpu(cfg.getProcessor("ACES2065-1", how[1])),
                f"{STUDIO} colour space '{how[1]}'")
    fwd, inv = how
    return (cpu(RAW.getProcessor(fwd)), cpu(RAW.getProcessor(inv)),
            str(fwd).replace("\n", " "))


def reference_rows(procs, inputs):
    """Rows of [input, exact output], and the default processor's worst
    difference from them (absolute below 1, relative above)."""
    exact, default = procs
    rows, worst = [], 0.0
    for rgb in inputs:
        want = list(exact.applyRGB(rgb))
        fast = default.applyRGB(rgb)
        worst = max([worst] + [abs(a - b) / max(1.0, abs(a)) for a, b in zip(want, fast)])
        rows.append([rgb, want])
    return rows, worst


def samples(lo, hi):
    """An even ramp over [lo, hi] and a geometric one down from hi (for the
    shadows of linear ranges), each channel a different permutation."""
    vals = [lo + (hi - lo) * k / 128 for k in range(129)]
    if hi > 2.0:
        vals += [hi * 2.0 ** (-k / 8) for k in range(1, 113)]
    n = len(vals)
    out = []
    for i in range(n):
        out.append([vals[i], vals[(i * 7) % n], vals[(i * 13) % n]])
    for v in vals:
        out.append([v, v, v])
    return out


def main():
    root = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "data", "builtin")
    os.makedirs(root, exist_ok=True)
    for name, how, (lo, hi), (ilo, ihi) in CASES:
        fwd, inv, what = processors(how)
        rows, fast_fwd = reference_rows(fwd, samples(lo, hi))
        inverse_rows, fast_inv = reference_rows(inv, samples(ilo, ihi))
        print(f"{name:<12} OCIO default processor vs OPTIMIZATION_LOSSLESS: "
              f"{fast_fwd:.2e} to ACES, {fast_inv:.2e} from ACES")
        head = {"name": name, "ocio": what, "ocio_version": ocio.__version__,
                "ocio_optimization": "OPTIMIZATION_LOSSLESS",
                "range": [lo, hi], "inverse_range": [ilo, ihi]}
        with open(os.path.join(root, name + ".json"), "w") as f:
            # One row per line, so a change of reference shows as a readable diff.
            f.write(json.dumps(head)[:-1])
            for key, table in (("rows", rows), ("inverse_rows", inverse_rows)):
                f.write(f',\n"{key}": [\n')
                f.write(",\n".join(json.dumps(r) for r in table))
                f.write("\n]")
            f.write("}\n")


if __name__ == "__main__":
    main()
