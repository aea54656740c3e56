#!/usr/bin/env python3
"""Builds a timeline with OpenTimelineIO's own API, writes it as .otio, and
prints what OpenTimelineIO says every record frame shows.

Usage: otio_parity.py OUT.otio
       otio_parity.py --plates DIR OUT.otio
       otio_parity.py --read FILE.otio   (what a given file shows, the same way)

The reference for grade's OpenTimelineIO reader (engine/src/timeline/otio/):
the Rust test reads OUT.otio and compares model::Timeline::layers_at with
this, frame by frame. With --plates DIR the image sequence reference points
at DIR/A001/A001.NNNNNNN.tif instead of /plates/A001/A001.NNNNNNN.exr (the
binary's pixel test, tests/cli/conform_pixels.rs, renders the cut over test
cards it generates there).

The timeline (24 fps, global start 01:00:00:00) has three video tracks:
V1: a clip on an ImageSequenceReference (frame_step 2, missing_frame_policy
    hold), a gap, a clip at LinearTimeWarp 2.0, an SMPTE dissolve into a
    clip at 0.5, a reverse (-1), a FreezeFrame;
V2: a gap, a disabled clip, a gap, a nested stack with its own source_range
    at LinearTimeWarp 0.5 holding two tracks (the upper with a gap that lets
    the lower through, and a clip at 2.0), a gap, a nested stack trimmed
    to its first clip and the dissolve out of it;
V3: a gap, a short clip over the others, a reverse at -2 at the end.

What OpenTimelineIO computes: which item is on top at a time
(Track.child_at_time, top track first; a gap or a disabled clip lets the
track below through), where it lies (Track.range_of_child), its trimmed
range and the time inside it (Item.transformed_time from the track to the
item: trimmed_range.start + (t - range_in_track.start)), and for an
ImageSequenceReference the frame number (frame_for_time) and the image file
(target_url_for_image_number of (number - start_frame) // frame_step).

OpenTimelineIO gives time effects no time semantics, so they are applied
as grade documents them (engine/src/timeline/otio/flatten.rs):
with x = transformed_time - trimmed_range.start (frames into the item),
  LinearTimeWarp s:  entry + sign(s) * floor(x * |s| + 1e-9), where entry is
                     trimmed_range.start, or for s < 0
                     trimmed_range.start + ceil(duration * |s|) - 1
  FreezeFrame:       trimmed_range.start.
A nested stack's (or track's) time is mapped the same way, then its tracks
are searched top first at that time. Dissolves: within [cut - in_offset,
cut + out_offset) the incoming item weighs (t - (cut - in_offset) + 0.5) /
(in_offset + out_offset) (the middle of the frame), the outgoing one the
rest; each side runs on past its cut (transformed_time extended past the
range), and a gap side is black. A track ends where its last item ends
(transitions take no time), and a transition that runs past either end
of its track is a cut: OpenTimelineIO defines neither.

With --read FILE.otio the same is printed for a file as it is (the public
samples the tests compare).

Output: {"global_start": int, "duration": int, "frames": [
  {"frame": int, "layers": [{"clip": name|null, "source": int,
   "weight": float, "number": int|null, "file": int|null}]}]}
"""

import json
import math
import pathlib
import sys

import opentimelineio as otio

RATE = 24
RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange


def tr(start, dur):
    return TR(RT(start, RATE), RT(dur, RATE))


def clip(name, start, dur, effects=(), reel=None, enabled=True, ref=None):
    c = otio.schema.Clip(name=name, source_range=tr(start, dur))
    c.media_reference = ref or otio.schema.MissingReference()
    if reel:
        c.metadata["cmx_3600"] = {"reel": reel}
    for e in effects:
        c.effects.append(e)
    c.enabled = enabled
    return c


def gap(dur):
    return otio.schema.Gap(source_range=tr(0, dur))


def ltw(s):
    return otio.schema.LinearTimeWarp(time_scalar=s)


def dissolve(a, b):
    return otio.schema.Transition(
        transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve,
        in_offset=RT(a, RATE), out_offset=RT(b, RATE))


def build(plates=None):
    tl = otio.schema.Timeline(name="parity")
    tl.global_start_time = RT(86400, RATE)
    base, suffix = "file:///plates/A001/", ".exr"
    if plates:
        base = pathlib.Path(plates, "A001").absolute().as_uri() + "/"
        suffix = ".tif"
    seq = otio.schema.ImageSequenceReference(
        base, "A001.", suffix, start_frame=1001,
        frame_step=2, rate=RATE, frame_zero_padding=7,
        missing_frame_policy=otio.schema.ImageSequenceReference.MissingFramePolicy.hold,
        available_range=tr(0, 400))
    v1 = otio.schema.Track(name="V1")
    v1.extend([
        clip("A", 10, 30, ref=seq),
        gap(12),
        clip("B", 100, 20, [ltw(2.0)], reel="B"),
        dissolve(6, 6),
        clip("C", 200, 30, [ltw(0.5)], reel="C"),
        clip("D", 300, 20, [ltw(-1.0)], reel="D"),
        clip("E", 400, 10, [otio.schema.FreezeFrame()], reel="E"),
    ])
    v2 = otio.schema.Track(name="V2")
    inner_low = otio.schema.Track(name="low")
    inner_low.append(clip("G", 600, 50, reel="G"))
    inner_high = otio.schema.Track(name="high")
    inner_high.extend([gap(15), clip("H", 700, 10, [ltw(2.0)], reel="H")])
    nest = otio.schema.Stack(name="nest", source_range=tr(5, 22))
    nest.extend([inner_low, inner_high])
    nest.effects.append(ltw(0.5))
    inner_cut = otio.schema.Track(name="cut")
    inner_cut.extend([clip("J", 800, 12, reel="J"), dissolve(2, 3),
                      clip("K", 900, 12, reel="K")])
    nest2 = otio.schema.Stack(name="nest2", source_range=tr(2, 16))
    nest2.append(inner_cut)
    v2.extend([gap(30), clip("F", 500, 8, reel="F", enabled=False), gap(40),
               nest, gap(4), nest2])
    v3 = otio.schema.Track(name="V3")
    v3.extend([gap(50), clip("L", 1000, 6, reel="L"), gap(70),
               clip("M", 1100, 9, [ltw(-2.0)], reel="M")])
    tl.tracks.extend([v1, v2, v3])
    return tl


def frames(rt):
    return round(rt.value_rescaled_to(RATE))


def warp(x, s):
    v = math.floor(x * abs(s) + 1e-9)
    return -v if s < 0 else v


def own_map(item, x):
    """Frames into item (x) -> the item's own time, by its effects."""
    tr_ = item.trimmed_range()
    start, dur = frames(tr_.start_time), frames(tr_.duration)
    scalar, frozen = 1.0, False
    for e in item.effects:
        if isinstance(e, otio.schema.FreezeFrame):
            frozen = True
        elif isinstance(e, otio.schema.LinearTimeWarp):
            if e.time_scalar == 0:
                frozen = True
            else:
                scalar *= e.time_scalar
    if frozen:
        return start
    if scalar < 0:
        entry = start + max(math.ceil(dur * abs(scalar) - 1e-9), 1) - 1
        return entry + warp(x, scalar)
    return start + warp(x, scalar)


def in_item(track, item, t):
    """Time t of track, inside item: frames into it, via transformed_time."""
    inside = track.transformed_time(RT(t, RATE), item)
    return frames(inside) - frames(item.trimmed_range().start_time)


def layers_of_item(track, item, t, weight):
    if isinstance(item, otio.schema.Clip):
        if not item.enabled:
            return []
        s = own_map(item, in_item(track, item, t))
        number = file = None
        ref = item.media_reference
        if isinstance(ref, otio.schema.ImageSequenceReference):
            number = ref.frame_for_time(RT(s, RATE))
            image = (number - ref.start_frame) // ref.frame_step
            url = ref.target_url_for_image_number(image)
            file = int(url[len(ref.target_url_base) + len(ref.name_prefix):
                           -len(ref.name_suffix)])
        return [{"clip": item.name, "source": s, "weight": weight,
                 "number": number, "file": file}]
    if isinstance(item, otio.schema.Stack):
        if not item.enabled:
            return []
        return stack_layers(item, own_map(item, in_item(track, item, t)))
    if isinstance(item, otio.schema.Track):
        if not item.enabled:
            return []
        return track_layers(item, own_map(item, in_item(track, item, t)))
    return []


def track_end(track):
    """Where the track's last item ends: transitions take no time (OpenTimelineIO's
    duration adds the in_offset of a transition at the start and the
    out_offset of one at the end)."""
    return sum(frames(c.duration()) for c in track
               if not isinstance(c, otio.schema.Transition))


def track_layers(track, t):
    if not track.enabled:
        return []
    rt = RT(t, RATE)
    # A transition around t mixes its neighbours.
    for i, child in enumerate(track):
        if isinstance(child, otio.schema.Transition):
            r = track.range_of_child(child)
            lo = frames(r.start_time)
            hi = lo + frames(r.duration)
            # One that runs past its track's ends (OpenTimelineIO says
            # nothing of those) is a cut, as grade reads it.
            if lo < 0 or hi > track_end(track):
                continue
            if lo <= t < hi:
                w = (t - lo + 0.5) / (hi - lo)
                prev, nxt = track[i - 1], track[i + 1]
                black = {"clip": None, "source": 0, "number": None,
                         "file": None}
                a = layers_of_item(track, prev, t, 1.0 - w) or \
                    [dict(black, weight=1.0 - w)]
                b = layers_of_item(track, nxt, t, w) or [dict(black, weight=w)]
                return a + b
    if t < 0 or t >= track_end(track):
        return []
    item = track.child_at_time(rt, shallow_search=True)
    if isinstance(item, otio.schema.Transition):
        # child_at_time can answer with a transition (it overlaps its
        # neighbours): the item under it is the one whose range holds t.
        item = next((c for c in track
                     if not isinstance(c, otio.schema.Transition)
                     and track.range_of_child(c).contains(rt)), None)
    if item is None:
        return []
    return layers_of_item(track, item, t, 1.0)


def stack_layers(stack, t):
    for child in reversed(list(stack)):
        if isinstance(child, otio.schema.Track):
            if child.kind != otio.schema.TrackKind.Video:
                continue
            inner = stack.transformed_time(RT(t, RATE), child)
            got = track_layers(child, frames(inner))
        else:
            # A clip or stack straight in a stack starts at the stack's 0.
            inside = 0 <= t < frames(child.duration())
            got = layers_of_item(stack, child, t, 1.0) if inside else []
        if got:
            return got
    return []


def main():
    global RATE
    if sys.argv[1] == "--read":
        tl = otio.adapters.read_from_file(sys.argv[2])
        RATE = tl.duration().rate
    else:
        plates = None
        if sys.argv[1] == "--plates":
            plates = sys.argv[2]
        out = sys.argv[-1]
        otio.adapters.write_to_file(build(plates), out)
        tl = otio.adapters.read_from_file(out)
    g = frames(tl.global_start_time) if tl.global_start_time else 0
    dur = frames(tl.duration())
    rows = [{"frame": g + t, "layers": stack_layers(tl.tracks, t)}
            for t in range(dur + 3)]
    print(json.dumps({"global_start": g, "duration": dur, "frames": rows}))


if __name__ == "__main__":
    main()
