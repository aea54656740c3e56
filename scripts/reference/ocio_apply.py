"""Applies a LUT/CLF file with OpenColorIO to raw float32 RGBA pixels.

Usage: ocio_apply.py LUT IN.f32 OUT.f32

IN.f32 is little-endian float32 RGBA. The LUT is applied through a
FileTransform in a raw config with INTERP_BEST and no optimisation, on the
CPU processor; the result is written in the same layout.
"""
import sys

import numpy as np
import PyOpenColorIO as ocio


def main():
    lut, src, dst = sys.argv[1:4]
    rgba = np.fromfile(src, dtype="<f4").reshape(-1, 4).copy()
    config = ocio.Config.CreateRaw()
    transform = ocio.FileTransform(src=lut, interpolation=ocio.INTERP_BEST)
    proc = config.getProcessor(transform).getOptimizedCPUProcessor(
        ocio.OPTIMIZATION_NONE
    )
    proc.applyRGBA(rgba)
    rgba.astype("<f4").tofile(dst)


if __name__ == "__main__":
    main()
