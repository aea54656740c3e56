#!/usr/bin/env python3
"""Prints, for every record frame of an OpenTimelineIO timeline, what
OpenTimelineIO's own API says it shows, as JSON: {frame: [[file, weight],
...]} with record frames counted from the timeline's global start time.

Per video track (top-most first) the item at the frame is found with
`Track.child_at_time`; a Gap lets lower tracks through. The item's source
time is `Track.transformed_time` into the clip; time effects are applied
as OpenTimelineIO documents them (a LinearTimeWarp plays `time_scalar`
source frames per record frame from the start of the clip's trimmed
range; a FreezeFrame holds that start); the file is the
ImageSequenceReference's `target_url_for_image_number` of
`frame_for_time`. Within a transition the outgoing and incoming clips are
mixed with the incoming share (k + 0.5) / duration.

Usage: otio_frames.py TIMELINE.otio
"""
import json
import sys

import opentimelineio as otio


def source_file(clip, t_in_clip, rate):
    """The file clip shows at `t_in_clip` frames after its trimmed start."""
    tr = clip.trimmed_range()
    scalar = 1.0
    frozen = False
    for e in clip.effects:
        if isinstance(e, otio.schema.FreezeFrame):
            frozen = True
        elif isinstance(e, otio.schema.LinearTimeWarp):
            scalar *= e.time_scalar
    start = tr.start_time.to_frames()
    src = start if frozen else start + round(t_in_clip * scalar)
    ref = clip.media_reference
    if not isinstance(ref, otio.schema.ImageSequenceReference):
        return None
    t = otio.opentime.RationalTime(src, tr.start_time.rate)
    n = ref.frame_for_time(t)
    url = ref.target_url_for_image_number(n - ref.start_frame)
    return url[len("file://"):] if url.startswith("file://") else url


def main():
    tl = otio.adapters.read_from_file(sys.argv[1])
    rate = tl.global_start_time.rate
    g = tl.global_start_time.to_frames()
    duration = tl.duration().to_frames()
    tracks = [t for t in tl.tracks if t.kind == otio.schema.TrackKind.Video]
    out = {}
    for k in range(duration):
        t = otio.opentime.RationalTime(k, rate)
        shown = []
        for track in reversed(tracks):
            item = track.child_at_time(t)
            if item is None or isinstance(item, otio.schema.Gap):
                continue
            if isinstance(item, otio.schema.Transition):
                # child_at_time gives the transition within its span.
                i = track.index(item)
                outgoing, incoming = track[i - 1], track[i + 1]
                cut = track.range_of_child(incoming).start_time.to_frames()
                lo = cut - item.in_offset.to_frames()
                n = item.in_offset.to_frames() + item.out_offset.to_frames()
                w = (k - lo + 0.5) / n
                o_start = track.range_of_child(outgoing).start_time.to_frames()
                shown = [[source_file(outgoing, k - o_start, rate), 1.0 - w],
                         [source_file(incoming, k - cut, rate), w]]
            else:
                start = track.range_of_child(item).start_time.to_frames()
                shown = [[source_file(item, k - start, rate), 1.0]]
            break
        out[g + k] = shown
    json.dump(out, sys.stdout)


main()
