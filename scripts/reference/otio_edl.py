#!/usr/bin/env python3
"""Reads a CMX3600 EDL with OpenTimelineIO and prints what it found as JSON.

Usage: otio_edl.py EDL RATE          (RATE as 24, 25 or NUM/DEN, e.g. 30000/1001)

The reference for grade's EDL parser (engine/src/timeline/edl.rs): the
otio-cmx3600-adapter reads the file at RATE; for every track, each clip,
transition and gap is printed with its record position in frames at RATE.
When the adapter rejects the file, "error" holds its message, and the file is
read again with ignore_timecode_mismatch=True ("lenient": true), as OTIO's
documentation suggests, so that the rest can still be compared.

Output: {"error": str|null, "lenient": bool, "title": str,
         "tracks": [{"name", "kind", "items": [...]}]}
Items: {"type": "clip", "name", "reel", "record_in", "source_in",
        "duration", "speed" (null | number; 0 for a freeze), "cdl", "media"}
       {"type": "transition", "record_in", "duration", "kind", "name"}
       {"type": "gap", "record_in", "duration"}
"""

import json
import sys
from fractions import Fraction

import opentimelineio as otio


def frames(rt, rate):
    return round(rt.value_rescaled_to(rate))


def read(text, rate, lenient):
    return otio.adapters.read_from_string(
        text, adapter_name="cmx_3600", rate=rate,
        ignore_timecode_mismatch=lenient)


def main():
    path, rate_text = sys.argv[1], sys.argv[2]
    rate = float(Fraction(rate_text))
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    error = None
    lenient = False
    try:
        tl = read(text, rate, False)
    except Exception as e:  # the adapter raises several kinds
        error = f"{type(e).__name__}: {e}"
        lenient = True
        try:
            tl = read(text, rate, True)
        except Exception as e2:
            print(json.dumps({"error": error, "lenient_error": str(e2),
                              "lenient": True, "title": None, "tracks": []}))
            return

    tracks = []
    for track in tl.tracks:
        # The adapter stores the first record in as a negative track start.
        offset = 0
        if track.source_range is not None:
            offset = -frames(track.source_range.start_time, rate)
        pos = offset
        items = []
        for child in track:
            if isinstance(child, otio.schema.Transition):
                items.append({
                    "type": "transition",
                    "record_in": pos,
                    "duration": frames(child.out_offset, rate)
                    + frames(child.in_offset, rate),
                    "kind": child.metadata.get("cmx_3600", {}).get("transition"),
                    "name": child.name,
                })
                continue
            dur = frames(child.duration(), rate)
            if isinstance(child, otio.schema.Gap):
                items.append({"type": "gap", "record_in": pos, "duration": dur})
            else:
                speed = None
                for fx in child.effects:
                    if isinstance(fx, otio.schema.FreezeFrame):
                        speed = 0.0
                    elif isinstance(fx, otio.schema.LinearTimeWarp):
                        speed = fx.time_scalar
                md = child.metadata.get("cmx_3600", {})
                cdl = child.metadata.get("cdl")
                if cdl is not None:
                    cdl = {
                        "slope": list(cdl["asc_sop"]["slope"]),
                        "offset": list(cdl["asc_sop"]["offset"]),
                        "power": list(cdl["asc_sop"]["power"]),
                        "sat": cdl["asc_sat"],
                    }
                ref = child.media_reference
                media = getattr(ref, "target_url", None) or getattr(
                    ref, "generator_kind", None)
                items.append({
                    "type": "clip",
                    "name": child.name,
                    "reel": md.get("reel"),
                    "record_in": pos,
                    "source_in": frames(child.source_range.start_time, rate),
                    "duration": dur,
                    "speed": speed,
                    "cdl": cdl,
                    "media": media,
                })
            pos += dur
        tracks.append({"name": track.name, "kind": str(track.kind),
                       "items": items})
    print(json.dumps({"error": error, "lenient": lenient, "title": tl.name,
                      "tracks": tracks}))


if __name__ == "__main__":
    main()
