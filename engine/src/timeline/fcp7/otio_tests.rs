//! Every public FCP7 XML sample read by grade and by OpenTimelineIO's
//! `fcp_xml` adapter (`scripts/reference/otio_fcp7.py`), track by track:
//! record positions, source starts (for clips on media), durations, names,
//! gaps and transitions. Where the two differ by design,
//! [`KNOWN_DIFFERENCES`] says what and why; any other difference fails.

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

use crate::testutil;
use crate::timeline::model::{Item, Media, Timeline};

/// (file, kinds of difference, why).
const KNOWN_DIFFERENCES: &[(&str, &[&str], &str)] = &[
    (
        "premiere_generators.xml",
        &["count"],
        "Premiere's \"Transparent Video\" slug shows nothing: grade lays it as a gap, \
         OpenTimelineIO as a clip of a Slug generator.",
    ),
    (
        "premiere_example.xml",
        &["nested"],
        "clipitem-5 holds the nested sequence sc01_sh010_anim (one track of two clips): grade \
         flattens it into the parent track; the adapter looks for <video> directly under \
         <sequence> instead of under its <media>, so its Stack has no tracks. The frames the \
         nested sequence covers are compared as one span.",
    ),
];

/// One item of a video track, as both sides describe it.
#[derive(Debug, Clone, PartialEq)]
enum Row {
    /// `source_in` is `None` for generated media (slugs, colours), whose
    /// source frames mean nothing.
    Clip {
        name: String,
        record_in: i64,
        source_in: Option<i64>,
        duration: i64,
    },
    Transition {
        record_in: i64,
        in_offset: i64,
        out_offset: i64,
    },
    Gap {
        record_in: i64,
        duration: i64,
    },
    /// A nested sequence OpenTimelineIO read without its tracks.
    Nested {
        record_in: i64,
        duration: i64,
    },
}

fn push_gap(rows: &mut Vec<Row>, record_in: i64, duration: i64) {
    if duration <= 0 {
        return;
    }
    if let Some(Row::Gap { duration: d, .. }) = rows.last_mut() {
        *d += duration;
    } else {
        rows.push(Row::Gap {
            record_in,
            duration,
        });
    }
}

fn ours(t: &Timeline) -> Vec<Vec<Row>> {
    t.tracks
        .iter()
        .map(|track| {
            let mut rows = Vec::new();
            let mut at = 0;
            for item in &track.items {
                match item {
                    Item::Clip(c) => rows.push(Row::Clip {
                        name: c.name.clone(),
                        record_in: at,
                        source_in: matches!(c.media, Media::Named(_) | Media::Sequence(_))
                            .then_some(c.source_range.start),
                        duration: c.source_range.duration,
                    }),
                    Item::Gap { duration } => push_gap(&mut rows, at, *duration),
                    Item::Transition(tr) => rows.push(Row::Transition {
                        record_in: at,
                        in_offset: tr.in_offset,
                        out_offset: tr.out_offset,
                    }),
                }
                at += item.duration();
            }
            rows
        })
        .collect()
}

fn theirs(json: &Value) -> Vec<Vec<Row>> {
    let num = |v: &Value, k: &str| v[k].as_i64().unwrap_or(i64::MIN);
    let empty = Vec::new();
    json["tracks"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|t| {
            let mut rows = Vec::new();
            for it in t["items"].as_array().unwrap_or(&empty) {
                match it["type"].as_str() {
                    Some("clip") => {
                        let media = it["media"].as_str().unwrap_or("");
                        rows.push(Row::Clip {
                            name: it["name"].as_str().unwrap_or("").to_string(),
                            record_in: num(it, "record_in"),
                            // Generated media (a generator kind, no URL).
                            source_in: (media.contains("://")
                                || media.contains('/')
                                || media.is_empty() && it["media"].is_null())
                            .then(|| num(it, "source_in")),
                            duration: num(it, "duration"),
                        })
                    }
                    Some("nested") => rows.push(Row::Nested {
                        record_in: num(it, "record_in"),
                        duration: num(it, "duration"),
                    }),
                    Some("transition") => rows.push(Row::Transition {
                        record_in: num(it, "record_in"),
                        in_offset: num(it, "in_offset"),
                        out_offset: num(it, "out_offset"),
                    }),
                    _ => push_gap(&mut rows, num(it, "record_in"), num(it, "duration")),
                }
            }
            // A track ending in a gap ends where its last item does.
            if let Some(Row::Gap { .. }) = rows.last() {
                rows.pop();
            }
            rows
        })
        .collect()
}

fn compare(a: &[Vec<Row>], b: &[Vec<Row>]) -> Vec<String> {
    let mut out = Vec::new();
    if a.len() != b.len() {
        out.push(format!(
            "tracks: grade {} video tracks, OpenTimelineIO {}",
            a.len(),
            b.len()
        ));
    }
    for (t, (x, y)) in a.iter().zip(b).enumerate() {
        let mut x = x.clone();
        if let Some(Row::Gap { .. }) = x.last() {
            x.pop();
        }
        // Our rows inside a span OpenTimelineIO left empty become that span.
        for n in y {
            let &Row::Nested {
                record_in,
                duration,
            } = n
            else {
                continue;
            };
            let inside = |r: &Row| match r {
                Row::Clip {
                    record_in: s,
                    duration: d,
                    ..
                }
                | Row::Gap {
                    record_in: s,
                    duration: d,
                } => *s >= record_in && s + d <= record_in + duration,
                _ => false,
            };
            let Some(first) = x.iter().position(inside) else {
                continue;
            };
            let last = x.iter().rposition(inside).unwrap_or(first);
            let covered: Vec<Row> = x.splice(first..=last, [n.clone()]).collect();
            out.push(format!("nested: track {t}: grade flattened {covered:?}"));
        }
        if x.len() != y.len() {
            out.push(format!(
                "count: track {t}: grade {} items, OpenTimelineIO {}:\n    {x:?}\n    {y:?}",
                x.len(),
                y.len()
            ));
            continue;
        }
        for (i, (p, q)) in x.iter().zip(y).enumerate() {
            if p != q {
                let kind = match (p, q) {
                    (Row::Clip { name: n1, .. }, Row::Clip { name: n2, .. }) if n1 != n2 => "name",
                    (Row::Clip { .. }, Row::Clip { .. }) => "range",
                    (Row::Transition { .. }, Row::Transition { .. }) => "transition",
                    _ => "count",
                };
                out.push(format!(
                    "{kind}: track {t} item {i}: grade {p:?} vs OpenTimelineIO {q:?}"
                ));
            }
        }
    }
    out
}

#[test]
fn public_fcp7_samples_match_opentimelineio() {
    let mut files = testutil::fixtures_with_ext("public/otio-fcp-adapter", &["xml"]);
    assert!(files.len() >= 4, "public FCP7 samples missing: {files:?}");
    // grade's own fixtures, except illegal/.
    files.extend(testutil::legal_fixtures_with_ext("fcp7", &["xml"]));
    let py = testutil::reference_python();
    let script = testutil::repo_root().join("scripts/reference/otio_fcp7.py");
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let bytes = std::fs::read(path).expect("read sample");
        assert!(super::looks_like_fcp7(&bytes), "{name}");
        let t = match super::read(&bytes, path) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{name}: grade could not read it: {e}"));
                continue;
            }
        };
        let warnings: usize = t.warnings.len()
            + t.tracks
                .iter()
                .flat_map(|tr| &tr.items)
                .map(|i| match i {
                    Item::Clip(c) => c.warnings.len(),
                    _ => 0,
                })
                .sum::<usize>();
        let Some(py) = &py else {
            report.push(format!(
                "{name}: {} tracks, {warnings} warnings; OpenTimelineIO not run",
                t.tracks.len()
            ));
            continue;
        };
        let out = Command::new(py)
            .arg(&script)
            .arg(path)
            .output()
            .expect("run otio_fcp7.py");
        assert!(
            out.status.success(),
            "otio_fcp7.py failed on {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: Value = serde_json::from_slice(&out.stdout).expect("otio_fcp7.py JSON");
        let mut diffs = compare(&ours(&t), &theirs(&json));
        if json["global_start"]
            .as_i64()
            .is_some_and(|g| g != t.global_start)
        {
            diffs.push(format!(
                "start: grade {} vs OpenTimelineIO {}",
                t.global_start, json["global_start"]
            ));
        }
        if json["name"].as_str() != t.name.as_deref() {
            diffs.push(format!("name: sequence {:?} vs {}", t.name, json["name"]));
        }
        if let Some(rate) = json["rate"].as_f64() {
            if (rate - t.rate.fps()).abs() > 1e-9 {
                diffs.push(format!(
                    "rate: grade {} vs OpenTimelineIO {rate}",
                    t.rate.fps()
                ));
            }
        }
        let kinds: BTreeSet<&str> = diffs.iter().filter_map(|d| d.split(':').next()).collect();
        let expected: BTreeSet<&str> = KNOWN_DIFFERENCES
            .iter()
            .find(|(f, _, _)| *f == name)
            .map(|(_, k, _)| k.iter().copied().collect())
            .unwrap_or_default();
        report.push(format!(
            "{name}: {} tracks, {warnings} warnings, {}",
            t.tracks.len(),
            if diffs.is_empty() {
                "identical".to_string()
            } else {
                format!(
                    "known differences ({})",
                    kinds.iter().copied().collect::<Vec<_>>().join(", ")
                )
            }
        ));
        if kinds != expected {
            failures.push(format!(
                "{name}: differences {kinds:?}, expected {expected:?}:\n  {}",
                diffs.join("\n  ")
            ));
        }
    }
    eprintln!(
        "FCP7 XML comparison with OpenTimelineIO:\n  {}",
        report.join("\n  ")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
