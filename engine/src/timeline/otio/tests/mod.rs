//! The OpenTimelineIO reader's tests, by concern: public samples and
//! schemas (`samples`), frame-by-frame parity with OpenTimelineIO's own API
//! (`parity`), numbers and rates (`time`), media references and bundles
//! (`references`), and bad input, never a panic (`bad_input`). The helpers
//! here build small timelines as JSON text.

mod bad_input;
mod parity;
mod references;
mod samples;
mod time;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use super::raw::lenient_text;
use super::time::rate_of;
use super::*;
use crate::testutil;
use crate::timeline::model::{FrameRate, Item, Media, MissingFrame, Timeline};

fn parse(text: &str) -> Result<Timeline> {
    read(
        text.as_bytes(),
        Path::new("/cut/test.otio"),
        &OtioOptions::default(),
    )
}

fn message(e: &Error) -> String {
    e.to_string()
}

/// A timeline of `tracks` (JSON of Track objects) at 24 fps.
fn timeline_json(tracks: &str) -> String {
    format!(
        r#"{{"OTIO_SCHEMA": "Timeline.1", "name": "t",
            "tracks": {{"OTIO_SCHEMA": "Stack.1", "children": [{tracks}]}}}}"#
    )
}

fn range(start: f64, dur: f64, rate: &str) -> String {
    format!(
        r#"{{"OTIO_SCHEMA": "TimeRange.1",
            "start_time": {{"OTIO_SCHEMA": "RationalTime.1", "value": {start}, "rate": {rate}}},
            "duration": {{"OTIO_SCHEMA": "RationalTime.1", "value": {dur}, "rate": {rate}}}}}"#
    )
}

fn clip(name: &str, start: f64, dur: f64) -> String {
    format!(
        r#"{{"OTIO_SCHEMA": "Clip.1", "name": "{name}", "source_range": {},
            "media_reference": {{"OTIO_SCHEMA": "MissingReference.1"}}}}"#,
        range(start, dur, "24")
    )
}

fn track(items: &[String]) -> String {
    format!(
        r#"{{"OTIO_SCHEMA": "Track.1", "name": "V1", "kind": "Video", "children": [{}]}}"#,
        items.join(",")
    )
}
