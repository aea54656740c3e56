#!/usr/bin/env python3
"""Records OpenColorIO BuiltinTransform reference values for grade's built-in
colour spaces into tests/data/builtin/<name>.json.

Each file holds the OCIO style, our colour-space name, the working range of
the encoded input, and rows of [r, g, b] inputs with OCIO's outputs
(ACES2065-1 linear), computed with OCIO's CPU processor in f32.

Run: .venv/bin/python scripts/reference/ocio_builtin.py
"""
import json
import os

import PyOpenColorIO as ocio

# (file / our name, OCIO built-in style, working range of the encoded input)
CASES = [
    ("logc3", "ARRI_ALEXA-LOGC-EI800-AWG_to_ACES2065-1", (0.0, 1.0)),
    ("slog3", "SONY_SLOG3-SGAMUT3_to_ACES2065-1", (0.0, 1.0)),
    ("slog3-cine", "SONY_SLOG3-SGAMUT3.CINE_to_ACES2065-1", (0.0, 1.0)),
    ("vlog", "PANASONIC_VLOG-VGAMUT_to_ACES2065-1", (0.0, 1.0)),
    ("log3g10", "RED_LOG3G10-RWG_to_ACES2065-1", (0.0, 1.0)),
    ("acescct", "ACEScct_to_ACES2065-1", (0.0, 1.0)),
]


def main():
    root = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "data", "builtin")
    os.makedirs(root, exist_ok=True)
    for name, style, (lo, hi) in CASES:
        cpu = ocio.Config.CreateRaw().getProcessor(
            ocio.BuiltinTransform(style)).getDefaultCPUProcessor()
        rows = []
        n = 17
        for i in range(n):
            for j in range(0, n, 4):
                a = lo + (hi - lo) * i / (n - 1)
                b = lo + (hi - lo) * j / (n - 1)
                rgb = [a, b, (a + b) / 2]
                rows.append([rgb, list(cpu.applyRGB(rgb))])
        with open(os.path.join(root, name + ".json"), "w") as f:
            json.dump({"name": name, "ocio_style": style, "ocio_version": ocio.__version__,
                       "range": [lo, hi], "rows": rows}, f, indent=0)


if __name__ == "__main__":
    main()
