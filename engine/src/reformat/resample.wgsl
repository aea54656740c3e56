// Reformat's resampler on the GPU: the twin of engine/src/reformat/cpu.rs,
// which it must match to the bit. See engine/src/reformat/mod.rs.
//
// `rows` is the horizontal pass (source rows into an intermediate of the
// active output columns), `columns` the vertical one (intermediate columns
// into the output frame, opaque black outside the active area). Every
// output value is acc = w0 * p0, then acc = acc + w * p for each further
// tap in order, as on the CPU; no fma.

// Keep in sync with `Pass` in engine/src/gpu/resample.rs.
struct Pass {
    // This pass's output: `width x height` pixels, the active block at
    // (x0, y0), `aw x ah` pixels.
    width: u32,
    height: u32,
    x0: u32,
    y0: u32,
    aw: u32,
    ah: u32,
    // The input's row length in pixels, and the input row of source row
    // `row0` (the horizontal pass reads source rows from row0; the
    // vertical pass's intermediate starts at row0).
    src_width: u32,
    row0: u32,
    // Invocations per row of the dispatch grid.
    stride: u32,
    pad0: u32,
    pad1: u32,
    pad2: u32,
}

// Keep in sync with `Span` in engine/src/reformat/filter.rs:
// (first, count, at, pad).
@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> spans: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read> weights: array<f32>;
// A uniform: the device's limit on storage buffers per stage may be 4.
@group(0) @binding(4) var<uniform> pass_: Pass;

@compute @workgroup_size(64)
fn rows(@builtin(global_invocation_id) gid: vec3<u32>) {
    let i = gid.x + gid.y * pass_.stride;
    if (i >= pass_.width * pass_.height) {
        return;
    }
    let x = i % pass_.width;
    let r = i / pass_.width;
    let span = spans[x];
    let base = (pass_.row0 + r) * pass_.src_width + span.x;
    var acc = weights[span.z] * src[base];
    for (var t = 1u; t < span.y; t = t + 1u) {
        acc = acc + weights[span.z + t] * src[base + t];
    }
    dst[i] = acc;
}

@compute @workgroup_size(64)
fn columns(@builtin(global_invocation_id) gid: vec3<u32>) {
    let i = gid.x + gid.y * pass_.stride;
    if (i >= pass_.width * pass_.height) {
        return;
    }
    let x = i % pass_.width;
    let y = i / pass_.width;
    let inside = x >= pass_.x0 && x < pass_.x0 + pass_.aw && y >= pass_.y0 && y < pass_.y0 + pass_.ah;
    if (!inside) {
        dst[i] = vec4<f32>(0.0, 0.0, 0.0, 1.0);
        return;
    }
    let span = spans[y - pass_.y0];
    let col = x - pass_.x0;
    let first = (span.x - pass_.row0) * pass_.aw + col;
    var acc = weights[span.z] * src[first];
    for (var t = 1u; t < span.y; t = t + 1u) {
        acc = acc + weights[span.z + t] * src[first + t * pass_.aw];
    }
    dst[i] = acc;
}
