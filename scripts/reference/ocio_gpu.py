#!/usr/bin/env python3
"""Runs an OpenColorIO processor through OpenColorIO's own GPU renderer
(its GLSL shader, textures and uniforms, drawn by OpenGL) over raw float32
RGBA pixels, so OpenColorIO's CPU and GPU results can be compared.

Usage:
  ocio_gpu.py [--renderer gpu|cpu|both] PROCESSOR < IN.f32 > OUT.f32
  ocio_gpu.py measure

PROCESSOR is one of
  fixed STYLE fwd|inv [PARAM...]   FixedFunctionTransform(FIXED_FUNCTION_STYLE)
  view CONFIG DISPLAY VIEW SPACE fwd|inv
                                   DisplayViewTransform of a config (a file or
                                   an ocio:// built-in config)
  spaces CONFIG SRC DST            colour space SRC to DST of a config

Pixels are little-endian float32 RGBA on stdin; the result is written in the
same layout on stdout: the GPU's (default), OpenColorIO's CPU processor's
(`cpu`), or the GPU's followed by the CPU's (`both`). Both processors are
built at OPTIMIZATION_NONE. `measure` prints OpenColorIO's own CPU-vs-GPU
difference for the ACES 2.0 and 1.3 studio configs' display/views on the
sets grade's output-transform tests use (the ACES 2.0 fixed functions are
measured by grade's test `ops::aces2::gpu_reference`, with its parameters).

The GPU side follows OpenColorIO's own OpenGL helpers
(src/libutils/oglapphelpers/glsl.cpp, oglapp.cpp): a GLSL 4.0 shader
description, 3D LUTs as RGB32F 3D textures, 1D LUTs as R32F or RGB32F 1D or
2D textures, each filtered NEAREST or LINEAR as the description says and
clamped to edge, uniforms set as glUniform1f / 3f / 1fv / 1iv, and
`OCIOMain` run per pixel by a fragment shader into an RGBA32F render target.
The input is an RGBA32F texture read with texelFetch (one texel per pixel,
no filtering, no quantisation).

The OpenGL is Mesa's llvmpipe through a headless EGL context (moderngl), so
no GPU is needed; llvmpipe computes in IEEE f32 with its own pow, exp2,
log2, sin and cos, which may round differently from a real GPU's.

Exit codes: 2 bad usage, 3 no OpenGL 4.0 context could be made, 1 any
other failure.
"""
import ctypes
import sys

import numpy as np
import PyOpenColorIO as ocio

NO_GL = 3
# Width of the image the pixels are laid out in (rows as needed).
ROW = 4096

GL_TEXTURE0 = 0x84C0
GL_TEXTURE_1D = 0x0DE0
GL_TEXTURE_MIN_FILTER = 0x2801
GL_TEXTURE_MAG_FILTER = 0x2800
GL_TEXTURE_WRAP_S = 0x2802
GL_NEAREST = 0x2600
GL_LINEAR = 0x2601
GL_CLAMP_TO_EDGE = 0x812F
GL_R32F = 0x822E
GL_RGB32F = 0x8815
GL_RED = 0x1903
GL_RGB = 0x1907
GL_FLOAT = 0x1406

VERTEX = """#version 400 core
void main()
{
    // One triangle covering the viewport.
    vec2 p = vec2(float((gl_VertexID & 1) << 2) - 1.0, float((gl_VertexID & 2) << 1) - 1.0);
    gl_Position = vec4(p, 0.0, 1.0);
}
"""

FRAGMENT_MAIN = """
uniform sampler2D ocio_gpu_input;
out vec4 ocio_gpu_output;

void main()
{
    vec4 col = texelFetch(ocio_gpu_input, ivec2(gl_FragCoord.xy), 0);
    ocio_gpu_output = {function}(col);
}
"""


class NoGl(Exception):
    pass


def direction(word):
    if word not in ("fwd", "inv"):
        raise ValueError(f"direction must be fwd or inv, not '{word}'")
    return ocio.TRANSFORM_DIR_INVERSE if word == "inv" else ocio.TRANSFORM_DIR_FORWARD


def processor(args):
    """The OpenColorIO processor that `args` describe (see the usage)."""
    if not args:
        raise ValueError("no processor given")
    kind, rest = args[0], args[1:]
    if kind == "fixed" and len(rest) >= 2:
        style = getattr(ocio, "FIXED_FUNCTION_" + rest[0], None)
        if style is None:
            raise ValueError(f"no FixedFunction style FIXED_FUNCTION_{rest[0]}")
        t = ocio.FixedFunctionTransform(style=style, params=[float(v) for v in rest[2:]],
                                        direction=direction(rest[1]))
        return ocio.Config.CreateRaw().getProcessor(t)
    if kind == "view" and len(rest) == 5:
        config, display, view, space, d = rest
        t = ocio.DisplayViewTransform(src=space, display=display, view=view,
                                      direction=direction(d))
        return ocio.Config.CreateFromFile(config).getProcessor(t)
    if kind == "spaces" and len(rest) == 3:
        config, src, dst = rest
        return ocio.Config.CreateFromFile(config).getProcessor(src, dst)
    raise ValueError(f"cannot read processor '{' '.join(args)}'")


def cpu(proc, rgba):
    """OpenColorIO's CPU processor at OPTIMIZATION_NONE over float32 RGBA."""
    out = np.array(rgba, dtype=np.float32).reshape(-1).copy()
    proc.getOptimizedCPUProcessor(ocio.OPTIMIZATION_NONE).applyRGBA(out)
    return out


class Gl:
    """A headless OpenGL 4.0 context (Mesa llvmpipe through EGL) and the few
    GL entry points moderngl does not wrap (1D textures)."""

    def __init__(self):
        try:
            import moderngl
        except ImportError as e:
            raise NoGl(f"moderngl is not installed ({e}); run scripts/setup") from e
        self.mgl = moderngl
        try:
            # The versioned names: the runtime packages (libegl1, libgl1)
            # have no unversioned libEGL.so / libGL.so.
            self.ctx = moderngl.create_standalone_context(
                backend="egl", require=400, libgl="libGL.so.1", libegl="libEGL.so.1")
        except Exception as e:
            raise NoGl(f"no OpenGL 4.0 context through EGL ({e}); scripts/setup installs "
                       "Mesa's EGL and llvmpipe (libegl1, libegl-mesa0, libgl1-mesa-dri)") from e
        egl = ctypes.CDLL("libEGL.so.1")
        egl.eglGetProcAddress.restype = ctypes.c_void_p
        egl.eglGetProcAddress.argtypes = [ctypes.c_char_p]

        def fn(name, *argtypes):
            addr = egl.eglGetProcAddress(name.encode())
            if not addr:
                raise NoGl(f"OpenGL has no {name}")
            return ctypes.CFUNCTYPE(None, *argtypes)(addr)

        u, i, s, p = ctypes.c_uint, ctypes.c_int, ctypes.c_int, ctypes.c_void_p
        self.gen_textures = fn("glGenTextures", s, ctypes.POINTER(u))
        self.active_texture = fn("glActiveTexture", u)
        self.bind_texture = fn("glBindTexture", u, u)
        self.tex_parameteri = fn("glTexParameteri", u, u, i)
        self.tex_image_1d = fn("glTexImage1D", u, i, i, s, i, u, u, p)
        self.renderer = self.ctx.info["GL_RENDERER"]


def filtering(interpolation):
    """OpenColorIO's SetTextureParameters: NEAREST for INTERP_NEAREST, LINEAR
    for everything else."""
    return "nearest" if interpolation == ocio.INTERP_NEAREST else "linear"


class Shader:
    """One processor's GPU shader, built and bound as OpenColorIO's
    OpenGLBuilder does (textures from unit 1, the image on unit 0)."""

    def __init__(self, gl, proc):
        self.gl = gl
        mgl, ctx = gl.mgl, gl.ctx
        desc = ocio.GpuShaderDesc.CreateShaderDesc(language=ocio.GPU_LANGUAGE_GLSL_4_0)
        proc.getOptimizedGPUProcessor(ocio.OPTIMIZATION_NONE).extractGpuShaderInfo(desc)
        self.desc = desc
        text = ("#version 400 core\n" + desc.getShaderText() + "\n"
                + FRAGMENT_MAIN.replace("{function}", desc.getFunctionName()))
        try:
            self.program = ctx.program(vertex_shader=VERTEX, fragment_shader=text)
        except Exception as e:
            raise RuntimeError(f"OpenColorIO's shader does not compile: {e}\n{text}") from e
        self.bindings = []  # (unit, moderngl texture or GL name of a 1D one, sampler)
        unit = 1
        for t in desc.get3DTextures():
            n = t.edgeLen
            values = np.ascontiguousarray(t.getValues(), dtype=np.float32)
            tex = ctx.texture3d((n, n, n), 3, values.tobytes(), dtype="f4")
            f = mgl.NEAREST if filtering(t.interpolation) == "nearest" else mgl.LINEAR
            tex.filter = (f, f)
            tex.repeat_x = tex.repeat_y = tex.repeat_z = False
            self.bindings.append((unit, tex, t.samplerName))
            unit += 1
        for t in desc.getTextures():
            red = t.channel == ocio.GpuShaderDesc.TEXTURE_RED_CHANNEL
            values = np.ascontiguousarray(t.getValues(), dtype=np.float32)
            if t.dimensions == ocio.GpuShaderDesc.TEXTURE_1D:
                self.bindings.append((unit, self.texture_1d(unit, t, red, values), t.samplerName))
            else:
                tex = ctx.texture((t.width, t.height), 1 if red else 3, values.tobytes(),
                                  dtype="f4")
                f = mgl.NEAREST if filtering(t.interpolation) == "nearest" else mgl.LINEAR
                tex.filter = (f, f)
                tex.repeat_x = tex.repeat_y = False
                self.bindings.append((unit, tex, t.samplerName))
            unit += 1
        for name, data in desc.getUniforms():
            self.set_uniform(name, data)

    def texture_1d(self, unit, t, red, values):
        """A 1D texture, as glsl.cpp's AllocateTexture (moderngl has none)."""
        gl = self.gl
        name = ctypes.c_uint(0)
        gl.gen_textures(1, ctypes.byref(name))
        gl.active_texture(GL_TEXTURE0 + unit)
        gl.bind_texture(GL_TEXTURE_1D, name.value)
        f = GL_NEAREST if filtering(t.interpolation) == "nearest" else GL_LINEAR
        gl.tex_parameteri(GL_TEXTURE_1D, GL_TEXTURE_MIN_FILTER, f)
        gl.tex_parameteri(GL_TEXTURE_1D, GL_TEXTURE_MAG_FILTER, f)
        gl.tex_parameteri(GL_TEXTURE_1D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE)
        gl.tex_image_1d(GL_TEXTURE_1D, 0, GL_R32F if red else GL_RGB32F, t.width, 0,
                        GL_RED if red else GL_RGB, GL_FLOAT, values.ctypes.data)
        return name.value

    def set_uniform(self, name, data):
        """glsl.cpp's Uniform::use: doubles and bools as one float, float3,
        float and int vectors."""
        if name not in self.program:
            return  # declared but unused: the compiler dropped it
        u = self.program[name]
        kind = data.type
        with np.errstate(over="ignore"):  # (GLfloat) of a huge double is inf
            if kind == ocio.UNIFORM_DOUBLE:
                u.value = float(np.float32(data.getDouble()))
                return
            if kind == ocio.UNIFORM_FLOAT3:
                u.value = tuple(float(np.float32(v)) for v in data.getFloat3())
                return
        if kind == ocio.UNIFORM_BOOL:
            # glUniform1f(1 or 0) on a bool uniform; moderngl sets it as an int.
            u.value = bool(data.getBool())
        elif kind in (ocio.UNIFORM_VECTOR_FLOAT, ocio.UNIFORM_VECTOR_INT):
            is_float = kind == ocio.UNIFORM_VECTOR_FLOAT
            v = data.getVectorFloat() if is_float else data.getVectorInt()
            dtype = np.float32 if is_float else np.int32
            full = np.zeros(max(u.array_length, len(v)), dtype=dtype)
            full[:len(v)] = v
            u.write(full[:u.array_length].tobytes())
        else:
            raise RuntimeError(f"uniform {name} of unknown type {kind}")

    def run(self, rgba):
        """OCIOMain over float32 RGBA pixels."""
        gl, ctx = self.gl, self.gl.ctx
        px = np.asarray(rgba, dtype=np.float32).reshape(-1, 4)
        n = len(px)
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        width = min(n, ROW)
        height = -(-n // width)
        image = np.zeros((height * width, 4), dtype=np.float32)
        image[:n] = px
        src = ctx.texture((width, height), 4, image.tobytes(), dtype="f4")
        src.filter = (gl.mgl.NEAREST, gl.mgl.NEAREST)
        target = ctx.texture((width, height), 4, dtype="f4")
        fbo = ctx.framebuffer(color_attachments=[target])
        vao = ctx.vertex_array(self.program, [])
        try:
            fbo.use()
            ctx.viewport = (0, 0, width, height)
            src.use(location=0)
            if "ocio_gpu_input" in self.program:
                self.program["ocio_gpu_input"].value = 0
            for unit, tex, sampler in self.bindings:
                if isinstance(tex, int):
                    gl.active_texture(GL_TEXTURE0 + unit)
                    gl.bind_texture(GL_TEXTURE_1D, tex)
                else:
                    tex.use(location=unit)
                if sampler in self.program:
                    self.program[sampler].value = unit
            vao.render(gl.mgl.TRIANGLES, vertices=3)
            out = np.frombuffer(fbo.read(components=4, dtype="f4"), dtype=np.float32)
        finally:
            vao.release()
            fbo.release()
            target.release()
            src.release()
        return out[:n * 4].copy()


def gpu(proc, rgba, gl=None):
    """OpenColorIO's GPU renderer over float32 RGBA (a new context unless
    one is given)."""
    return Shader(gl or Gl(), proc).run(rgba)


# The dense set of the grade tests (engine/src/grade/dense.rs) and the
# output transforms' sets (engine/src/colorspace/aces_output/tests.rs: the
# scene set is it and it times 64, the code set it clamped to [0, 1]), for
# `measure`.

def dense():
    axis = -0.25 + 1.5 * np.arange(33, dtype=np.float32) / np.float32(32)
    b, g, r = np.meshgrid(axis, axis, axis, indexing="ij")
    grid = np.stack([r.ravel(), g.ravel(), b.ravel()], -1)
    ramp = (np.float32(-0.5) + np.float32(2.5) * np.arange(1024, dtype=np.float32)
            / np.float32(1023)).astype(np.float32)
    rows = [grid, np.stack([ramp] * 3, -1)]
    for c in range(3):
        p = np.full((1024, 3), 0.18, dtype=np.float32)
        p[:, c] = ramp
        rows.append(p)
    rgb = np.concatenate(rows).astype(np.float32)
    return np.concatenate([rgb, np.ones((len(rgb), 1), np.float32)], -1)


def scaled(scale, offset):
    d = dense()
    d[:, :3] = d[:, :3] * np.float32(scale) + np.float32(offset)
    return d


def relative(want, got):
    """|a - b| / max(1, |a|) per RGB value (NaN on one side only: infinite)."""
    w = want.reshape(-1, 4)[:, :3].astype(np.float64)
    g = got.reshape(-1, 4)[:, :3].astype(np.float64)
    e = np.abs(w - g) / np.maximum(1.0, np.abs(w))
    return np.where(np.isnan(w) & np.isnan(g), 0.0, np.where(np.isnan(e), np.inf, e))


def report(label, e, inputs, want, got):
    at = int(np.argmax(e))
    i, c = divmod(at, 3)
    where = np.array2string(inputs.reshape(-1, 4)[i, :3], precision=6)
    print(f"{label:<62} {e.flat[at]:9.2e} at {where} {'RGB'[c]}: "
          f"CPU {want.reshape(-1, 4)[i, c]:.9g} GPU {got.reshape(-1, 4)[i, c]:.9g}")


def code_or_light(to_light, want, got):
    """As grade's output-transform tests compare display code values: per
    value the smaller of the difference in code and in the light it
    decodes to (here CIE XYZ D65, the configs' display reference), since
    the curves are vertical at black."""
    return np.minimum(relative(want, got), relative(cpu(to_light, want), cpu(to_light, got)))


def measure():
    gl = Gl()
    print(f"OpenColorIO {ocio.__version__}, GPU renderer on {gl.renderer}; "
          "worst |CPU - GPU| / max(1, |CPU|):")
    scene = np.concatenate([dense(), scaled(64.0, 0.0)])
    code = np.clip(dense(), 0.0, 1.0)
    for config, views in STUDIO_VIEWS:
        c = ocio.Config.CreateFromFile(config)
        print(config)
        for display, view in views:
            name = f"{view} / {display}"
            to_xyz = c.getProcessor(c.getColorSpace(display).getTransform(
                ocio.COLORSPACE_DIR_FROM_REFERENCE), ocio.TRANSFORM_DIR_INVERSE)
            for space in ("ACES2065-1", "ACEScg"):
                p = processor(["view", config, display, view, space, "fwd"])
                want, got = cpu(p, scene), gpu(p, scene, gl)
                report(f"{name} from {space}, code", relative(want, got), scene, want, got)
                report(f"{name} from {space}, code or light",
                       code_or_light(to_xyz, want, got), scene, want, got)
            fwd = processor(["view", config, display, view, "ACES2065-1", "fwd"])
            p = processor(["view", config, display, view, "ACES2065-1", "inv"])
            want, got = cpu(p, code), gpu(p, code, gl)
            report(f"{name} inverse, scene", relative(want, got), code, want, got)
            want, got = cpu(fwd, want), cpu(fwd, got)
            report(f"{name} inverse, on the display", code_or_light(to_xyz, want, got),
                   code, want, got)


STUDIO_VIEWS = [
    ("ocio://studio-config-v4.0.0_aces-v2.0_ocio-v2.5", [
        ("Rec.1886 Rec.709 - Display", "ACES 2.0 - SDR 100 nits (Rec.709)"),
        ("sRGB - Display", "ACES 2.0 - SDR 100 nits (Rec.709)"),
        ("P3-D65 - Display", "ACES 2.0 - SDR 100 nits (P3 D65)"),
        ("Rec.2100-PQ - Display", "ACES 2.0 - HDR 1000 nits (P3 D65)"),
        ("Rec.2100-PQ - Display", "ACES 2.0 - HDR 4000 nits (P3 D65)"),
    ]),
    ("ocio://studio-config-v1.0.0_aces-v1.3_ocio-v2.1", [
        ("Rec.1886 Rec.709 - Display", "ACES 1.0 - SDR Video"),
        ("sRGB - Display", "ACES 1.0 - SDR Video"),
        ("P3-D65 - Display", "ACES 1.0 - SDR Cinema"),
        ("ST2084-P3-D65 - Display", "ACES 1.1 - HDR Video (1000 nits & P3 lim)"),
    ]),
]


def usage():
    """The usage and processor paragraphs of the module docs."""
    return "\n\n".join(__doc__.split("\n\n")[1:3])


def main(argv):
    if argv in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    renderer = "gpu"
    if len(argv) >= 2 and argv[0] == "--renderer":
        renderer, argv = argv[1], argv[2:]
    if renderer not in ("gpu", "cpu", "both"):
        print(f"ocio_gpu.py: --renderer must be gpu, cpu or both, not '{renderer}'",
              file=sys.stderr)
        return 2
    try:
        if argv == ["measure"]:
            measure()
            return 0
        proc = processor(argv)
    except (ValueError, ocio.Exception) as e:
        print(f"ocio_gpu.py: {e}\n{usage()}", file=sys.stderr)
        return 2
    except NoGl as e:
        print(f"ocio_gpu.py: {e}", file=sys.stderr)
        return NO_GL
    data = sys.stdin.buffer.read()
    if len(data) % 16:
        print(f"ocio_gpu.py: stdin holds {len(data)} bytes, not whole float32 RGBA pixels",
              file=sys.stderr)
        return 2
    rgba = np.frombuffer(data, dtype="<f4")
    out = []
    try:
        if renderer in ("gpu", "both"):
            out.append(gpu(proc, rgba))
        if renderer in ("cpu", "both"):
            out.append(cpu(proc, rgba))
    except NoGl as e:
        print(f"ocio_gpu.py: {e}", file=sys.stderr)
        return NO_GL
    for o in out:
        sys.stdout.buffer.write(o.astype("<f4").tobytes())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
