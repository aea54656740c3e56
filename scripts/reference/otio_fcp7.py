#!/usr/bin/env python3
"""Reads an FCP7 XML file with OpenTimelineIO's fcp_xml adapter and prints
its video tracks as JSON.

Usage: otio_fcp7.py FILE.xml

The reference for grade's FCP7 reader (engine/src/timeline/fcp7/): the
otio-fcp-adapter reads the file; every video track (bottom first) is
printed item by item with record positions in frames at the sequence rate
(from the start of the track), source starts rescaled to the sequence rate
and names. A nested sequence (a Stack in a track) is flattened with
OpenTimelineIO's own algorithms (flatten_stack, then trimmed to the
stack's source range), as grade flattens it into the parent track.

Output: {"name", "rate", "global_start", "tracks": [{"name", "items": [...]}]}
Items: {"type": "clip", "name", "record_in", "source_in", "duration",
        "media"}  {"type": "transition", "record_in", "in_offset",
        "out_offset"}  {"type": "gap", "record_in", "duration"}
       {"type": "nested", "record_in", "duration", "name"}: a nested
        sequence the adapter read as an empty Stack
"""

import json
import sys

import opentimelineio as otio


def frames(rt, rate):
    return round(rt.value_rescaled_to(rate))


def items_of(track, rate, base, out):
    pos = base
    for child in track:
        if isinstance(child, otio.schema.Transition):
            out.append({"type": "transition", "record_in": pos,
                        "in_offset": frames(child.in_offset, rate),
                        "out_offset": frames(child.out_offset, rate)})
            continue
        dur = frames(child.duration(), rate)
        if isinstance(child, otio.schema.Gap):
            out.append({"type": "gap", "record_in": pos, "duration": dur})
        elif isinstance(child, otio.schema.Stack) and len(child) == 0:
            # The adapter reads a nested <sequence> as a Stack without
            # tracks (it looks for <video> directly under <sequence>).
            out.append({"type": "nested", "record_in": pos, "duration": dur,
                        "name": child.name})
        elif isinstance(child, otio.schema.Stack):
            flat = otio.algorithms.flatten_stack(child)
            trimmed = otio.algorithms.track_trimmed_to_range(
                flat, child.trimmed_range())
            items_of(trimmed, rate, pos, out)
        else:
            ref = child.media_reference
            media = getattr(ref, "target_url", None) or getattr(
                ref, "generator_kind", None)
            out.append({
                "type": "clip",
                "name": child.name,
                "record_in": pos,
                "source_in": frames(child.source_range.start_time, rate),
                "duration": dur,
                "media": media,
            })
        pos += dur


def main():
    tl = otio.adapters.read_from_file(sys.argv[1], adapter_name="fcp_xml")
    if isinstance(tl, otio.schema.SerializableCollection):
        tl = next(iter(tl))
    rate = None
    if tl.global_start_time is not None:
        rate = tl.global_start_time.rate
    tracks = []
    for track in tl.video_tracks():
        r = rate
        if r is None:
            r = track.duration().rate if len(track) else 24.0
        items = []
        items_of(track, r, 0, items)
        tracks.append({"name": track.name, "items": items})
    start = None
    if tl.global_start_time is not None:
        start = round(tl.global_start_time.value)
    print(json.dumps({"name": tl.name, "rate": rate, "global_start": start,
                      "tracks": tracks}))


if __name__ == "__main__":
    main()
