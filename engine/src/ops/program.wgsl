// The composed kernel: each invocation reads one RGBA pixel, runs every op
// record of the program on its RGB in order, and writes it back. Alpha is
// untouched. The op list is a storage buffer, so changing a grade never
// recompiles the pipeline.

// Keep in sync with engine/src/grade/packed.rs (`OpRecord`, 128 bytes, and
// the flag constants); a Rust test checks the sizes and values agree.
struct OpRecord {
    kind: u32,
    flags: u32,
    // LUT entry count (1D) or edge size (3D); 0 otherwise.
    n: u32,
    // Offset of this op's table in `luts`, in f32s.
    data: u32,
    p: array<vec4<f32>, 7>,
}

// KIND_* (the record kind) and the per-op style constants are generated from
// engine/src/ops/list.rs, with `apply_op` (engine/src/gpu/compose.rs).

const CDL_CLAMP: u32 = 1u;
const INVERSE: u32 = 2u;
const LUT1D_HALF_DOMAIN: u32 = 4u;
const LUT3D_TRILINEAR: u32 = 8u;
const RANGE_CLAMP_LOW: u32 = 16u;
const RANGE_CLAMP_HIGH: u32 = 32u;
const STYLE_SHIFT: u32 = 8u;
const STYLE_MASK: u32 = 0xff00u;

// Keep in sync with WORKGROUP_SIZE in engine/src/gpu/executor.rs.
const WORKGROUP_SIZE: u32 = 64u;

@group(0) @binding(0) var<storage, read_write> pixels: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> ops: array<OpRecord>;
@group(0) @binding(2) var<storage, read> luts: array<f32>;

// Dispatched as a 2D grid of workgroups (a UHD frame needs more than the
// 65535 workgroups one dimension allows); pixels past the end are skipped.
@compute @workgroup_size(64)
fn main(
    @builtin(workgroup_id) wg: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
) {
    let i = (wg.y * groups.x + wg.x) * WORKGROUP_SIZE + local;
    if (i >= arrayLength(&pixels)) {
        return;
    }
    let px = pixels[i];
    var v = px.xyz;
    let count = arrayLength(&ops);
    for (var k = 0u; k < count; k = k + 1u) {
        v = apply_op(v, ops[k]);
    }
    pixels[i] = vec4<f32>(v, px.w);
}
