//! Reading and planning an OpenTimelineIO conform: parse + match + plan of
//! a generated 2,000-clip, 3-track timeline (MissingReferences found by
//! reel and timecode, as a cut on proxies is) over an in-memory media index
//! of 200 clips, 100,000 frames in all. The goal: under 1 s.
//! Run: `cargo bench --no-default-features --bench timeline`.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use grade_engine::io::sequence::Pattern;
use grade_engine::timeline::conform::plan_timeline;
use grade_engine::timeline::otio::{self, OtioOptions};
use grade_engine::timeline::{MatchOptions, MediaIndex, Rate, SourceClip};

const REELS: usize = 200;
const FRAMES_PER_REEL: i64 = 500;
/// Source timecode of every reel's first frame: 01:00:00:00 at 24 fps.
const TC0: i64 = 86_400;

fn index() -> MediaIndex {
    MediaIndex::new(
        (0..REELS)
            .map(|r| SourceClip {
                pattern: Pattern::parse(&format!("/scans/R{r:03}/R{r:03}.%07d.dpx"))
                    .expect("pattern"),
                reel: Some(format!("R{r:03}")),
                clip_name: format!("R{r:03}"),
                start_tc: TC0,
                first_frame: 1001,
                last_frame: 1000 + FRAMES_PER_REEL,
                gaps: Vec::new(),
                rate: Rate::FPS_24,
                header_rate: None,
                width: 2048,
                height: 1080,
                pixel_aspect: 1.0,
            })
            .collect(),
    )
}

fn time(v: i64) -> String {
    format!(r#"{{"OTIO_SCHEMA": "RationalTime.1", "value": {v}.0, "rate": 24.0}}"#)
}

fn range(start: i64, dur: i64) -> String {
    format!(
        r#"{{"OTIO_SCHEMA": "TimeRange.1", "start_time": {}, "duration": {}}}"#,
        time(start),
        time(dur)
    )
}

/// 2,000 clips: 1,000 on V1 end to end, 600 on V2 and 400 on V3 with gaps
/// between, every 10th V1 cut a dissolve.
fn timeline() -> String {
    let mut n = 0usize;
    let mut clip = |dur: i64| {
        let reel = (n * 7) % REELS;
        let start = TC0 + 10 + ((n * 13) % 300) as i64;
        n += 1;
        format!(
            r#"{{"OTIO_SCHEMA": "Clip.2", "name": "shot{n:04}", "source_range": {},
                "metadata": {{"cmx_3600": {{"reel": "R{reel:03}"}}}},
                "effects": [], "markers": [], "enabled": true,
                "media_references": {{"DEFAULT_MEDIA": {{"OTIO_SCHEMA": "MissingReference.1", "metadata": {{}}}}}},
                "active_media_reference_key": "DEFAULT_MEDIA"}}"#,
            range(start, dur)
        )
    };
    let gap = |dur: i64| {
        format!(
            r#"{{"OTIO_SCHEMA": "Gap.1", "source_range": {}}}"#,
            range(0, dur)
        )
    };
    let dissolve = format!(
        r#"{{"OTIO_SCHEMA": "Transition.1", "transition_type": "SMPTE_Dissolve", "in_offset": {}, "out_offset": {}}}"#,
        time(4),
        time(4)
    );
    let mut tracks = Vec::new();
    for (name, clips, with_gaps) in [("V1", 1000, false), ("V2", 600, true), ("V3", 400, true)] {
        let mut items = Vec::new();
        for i in 0..clips {
            if with_gaps {
                items.push(gap(20));
            } else if i % 10 == 9 {
                items.push(dissolve.clone());
            }
            items.push(clip(48));
        }
        tracks.push(format!(
            r#"{{"OTIO_SCHEMA": "Track.1", "name": "{name}", "kind": "Video", "children": [{}]}}"#,
            items.join(",")
        ));
    }
    format!(
        r#"{{"OTIO_SCHEMA": "Timeline.1", "name": "bench",
            "global_start_time": {},
            "tracks": {{"OTIO_SCHEMA": "Stack.1", "children": [{}]}}}}"#,
        time(TC0),
        tracks.join(",")
    )
}

fn bench(c: &mut Criterion) {
    let text = timeline();
    let index = index();
    let opts = MatchOptions::default();
    let path = Path::new("bench.otio");
    let t = otio::read(text.as_bytes(), path, &OtioOptions::default()).expect("timeline");
    let p = plan_timeline(&t, Rate::FPS_24, &index, &opts);
    let matched = p.events.iter().filter(|e| e.is_renderable()).count();
    println!(
        "timeline: {} bytes of OpenTimelineIO, {} events ({matched} matched), {} record frames, \
         over {REELS} source clips of {FRAMES_PER_REEL} frames",
        text.len(),
        p.events.len(),
        p.record.end - p.record.start
    );
    let mut g = c.benchmark_group("otio 2000 clips, 3 tracks");
    g.sample_size(10);
    g.bench_function("parse", |b| {
        b.iter(|| otio::read(black_box(text.as_bytes()), path, &OtioOptions::default()).unwrap())
    });
    g.bench_function("parse + match + plan", |b| {
        b.iter(|| {
            let t = otio::read(black_box(text.as_bytes()), path, &OtioOptions::default()).unwrap();
            black_box(plan_timeline(&t, Rate::FPS_24, &index, &opts))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
