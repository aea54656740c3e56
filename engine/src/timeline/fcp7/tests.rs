use std::path::Path;

use super::{looks_like_fcp7, read};
use crate::io::sequence::Pattern;
use crate::reformat::{Format, Reformat, Resize, SourceGeometry};
use crate::render::Layer;
use crate::testutil;
use crate::timeline::conform::{
    plan_timeline, MatchKey, MatchRule, MediaIndex, SideMatch, SourceClip,
};
use crate::timeline::job::{recipes, RecipeOptions};
use crate::timeline::model::{FrameRate, Item, Media, TimeEffect, Timeline};
use crate::timeline::Rate;

fn fixture(rel: &str) -> (Vec<u8>, std::path::PathBuf) {
    let p = testutil::fixture(rel);
    (std::fs::read(&p).expect("fixture"), p)
}

fn proxies() -> Timeline {
    let (b, p) = fixture("fcp7/premiere_proxies.xml");
    read(&b, &p).expect("premiere_proxies.xml")
}

fn clips(t: &Timeline, track: usize) -> Vec<&crate::timeline::model::Clip> {
    t.tracks[track]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Clip(c) => Some(&**c),
            _ => None,
        })
        .collect()
}

/// A minimal sequence around `items` (the children of one video track).
fn xml(items: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE xmeml>\n<xmeml version=\"5\">\n<sequence id=\"s1\">\n<name>S</name>\n\
         <rate><timebase>24</timebase><ntsc>FALSE</ntsc></rate>\n<media><video><track>\n{items}\n\
         </track></video></media>\n</sequence>\n</xmeml>\n"
    )
}

fn clip_xml(id: &str, start: i64, end: i64, inp: i64, out: i64, extra: &str) -> String {
    format!(
        "<clipitem id=\"{id}\"><name>{id}</name><start>{start}</start><end>{end}</end><in>{inp}</in><out>{out}</out>\
         <file id=\"f-{id}\"><name>{id}.mov</name><pathurl>file:///p/{id}.mov</pathurl>\
         <timecode><frame>1000</frame><reel><name>R{id}</name></reel></timecode></file>{extra}</clipitem>\n"
    )
}

fn read_str(text: &str) -> crate::Result<Timeline> {
    read(text.as_bytes(), Path::new("t.xml"))
}

#[test]
fn a_premiere_sequence_gives_its_format_rate_start_and_tracks() {
    let t = proxies();
    assert_eq!(t.name.as_deref(), Some("R1_proxies"));
    assert_eq!(t.rate, FrameRate { num: 24, den: 1 });
    assert_eq!(t.global_start, 86400);
    let f = t.format.expect("sequence format");
    assert_eq!((f.width, f.height, f.pixel_aspect), (1920, 1080, 1.0));
    assert_eq!(t.tracks.len(), 2);
    let v1 = clips(&t, 0);
    assert_eq!(v1.len(), 3);
    // Source frames are timecode frames: the file's start plus in (plus,
    // after the dissolve, the frames from its start to its cut).
    assert_eq!(v1[0].source_range.start, 864_000 + 10);
    assert_eq!(v1[0].source_range.duration, 48);
    assert_eq!(v1[1].source_range.start, 950_400 + 20 + 4);
    assert_eq!(v1[1].source_range.duration, 52);
    let Media::Named(n) = &v1[0].media else {
        panic!("{:?}", v1[0].media)
    };
    assert_eq!(n.reel.as_deref(), Some("A001C003"));
    assert_eq!(n.clip_name.as_deref(), Some("A001C003_proxy"));
    assert_eq!(
        n.path.as_deref(),
        Some("/Volumes/proxies/A001C003_proxy.mov")
    );
    // The third clip names its file by id only: the same media.
    assert_eq!(v1[2].media, v1[0].media);
    assert_eq!(v1[2].source_range.start, 864_100);
    let rp = v1[0].reposition.expect("Basic Motion");
    assert_eq!(
        (rp.scale, rp.center, rp.rotation),
        (0.9375, [0.0, 0.0], 0.0)
    );
    assert_eq!(v1[1].reposition, None);
    let tr: Vec<_> = t.tracks[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Transition(tr) => Some(tr),
            _ => None,
        })
        .collect();
    assert_eq!(tr.len(), 1);
    assert_eq!((tr[0].in_offset, tr[0].out_offset), (4, 4));
    assert_eq!(tr[0].kind, "SMPTE_Dissolve");
    // V2: a gap, then a disabled colour matte.
    let v2 = clips(&t, 1);
    assert_eq!(v2[0].media, Media::Colour([1.0, 128.0 / 255.0, 0.0]));
    assert!(!v2[0].enabled);
    assert_eq!(t.tracks[1].items[0], Item::Gap { duration: 124 });
    // Markers: the sequence's at record frames, a clip's at source frames.
    assert_eq!(t.markers.len(), 1);
    assert_eq!(
        (t.markers[0].frame, t.markers[0].name.as_str()),
        (86_500, "reel break")
    );
    assert_eq!(v1[1].markers[0].frame, 950_440);
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    assert!(v1.iter().all(|c| c.warnings.is_empty()));
}

/// Acceptance: the Premiere cut on proxies conforms to 2048-wide DPX
/// originals by reel and timecode, and the editor's 93.75% scale is the
/// reformat stage's, whatever the master's resize mode.
#[test]
fn a_premiere_cut_on_proxies_conforms_by_reel_and_timecode_with_its_scale() {
    let t = proxies();
    let r24 = Rate::FPS_24;
    let source = |reel: &str, tc: &str, width: u32| SourceClip {
        pattern: Pattern::parse(&format!("/scans/{reel}/{reel}.%07d.dpx")).unwrap(),
        reel: Some(reel.into()),
        clip_name: reel.into(),
        start_tc: r24.parse_frames(tc).unwrap(),
        first_frame: 1001,
        last_frame: 1300,
        gaps: Vec::new(),
        rate: r24,
        header_rate: None,
        width,
        height: 1080,
        pixel_aspect: 1.0,
    };
    let index = MediaIndex::new(vec![
        source("A001C003", "10:00:00:00", 2048),
        source("B002C001", "11:00:00:00", 1920),
    ]);
    let plan = plan_timeline(&t, r24, &index, &Default::default());
    assert_eq!(plan.record, 86_400..86_548);
    assert_eq!(plan.events.len(), 3, "the disabled matte is not an event");
    for e in &plan.events {
        match &e.source {
            SideMatch::Matched {
                rule:
                    MatchRule::Name {
                        key: MatchKey::Reel,
                        ..
                    },
                ..
            } => {}
            other => panic!("event {}: {other:?}", e.number),
        }
    }
    let out = Pattern::parse("/out/R1.%07d.dpx").unwrap();
    let all: Vec<i64> = plan.record.clone().collect();
    let hd = Format {
        width: 1920,
        height: 1080,
        par: 1.0,
    };
    let a = SourceGeometry {
        width: 2048,
        height: 1080,
        par: 1.0,
    };
    for resize in [Resize::Fit, Resize::Fill] {
        let master = Reformat {
            resize,
            ..Reformat::to(hd)
        };
        let opts = RecipeOptions {
            output: &out,
            shift: 0,
            master: &master,
            composite: Default::default(),
        };
        let (recipes, _) = recipes(None, &plan, &all, &opts);
        let layer = |f: usize, i: usize| match &recipes[f].layers[i].0 {
            Layer::Source { path, reformat, .. } => (path.clone(), reformat.clone()),
            Layer::Black => panic!("frame {f}: black"),
        };
        // Record frame 0: A001C003 at 10:00:00:10, file frame 1011, placed.
        let (path, placed) = layer(0, 0);
        assert_eq!(path, Path::new("/scans/A001C003/A001C003.0001011.dpx"));
        let p = placed.expect("placed").plan(a).unwrap();
        let s = p.summary();
        assert_eq!(
            (s.scale_x, s.scale_y, s.offset_x),
            (0.9375, 0.9375, 0.0),
            "{resize:?}"
        );
        assert_eq!((s.active.x, s.active.width), (0, 1920));
        // The reformat stage shows the source's first and last columns at
        // the frame's edges.
        let mut src = vec![0.0f32; 2048 * 1080 * 4];
        for y in 0..1080 {
            for x in [0, 2047] {
                src[(y * 2048 + x) * 4..][..4].copy_from_slice(&[1.0, 1.0, 1.0, 1.0]);
            }
        }
        let mut dst = Vec::new();
        p.apply(&src, &mut dst);
        let px = |x: usize| dst[(540 * 1920 + x) * 4];
        assert!(
            px(0) > 0.5 && px(1919) > 0.5,
            "{resize:?}: {} {}",
            px(0),
            px(1919)
        );
        // The dissolve's outgoing side keeps the placement; B002C001 has the
        // master's format and passes through.
        assert!(matches!(recipes[48].layers.len(), 2));
        let (_, a_side) = layer(48, 0);
        assert_eq!(
            a_side.expect("placed").plan(a).unwrap().summary().scale_x,
            0.9375
        );
        assert_eq!(layer(48, 1).1, None);
        // The last clip has no Basic Motion: the master's resize decides.
        let (path, plain) = layer(100, 0);
        assert_eq!(path, Path::new("/scans/A001C003/A001C003.0001101.dpx"));
        let s = plain.expect("reformatted").plan(a).unwrap().summary();
        let want = if resize == Resize::Fit { 0.9375 } else { 1.0 };
        assert_eq!(s.scale_x, want, "{resize:?}");
    }
}

#[test]
fn ntsc_timebases_are_exact_rates_and_generators_are_black_or_their_colour() {
    let (b, p) = fixture("public/otio-fcp-adapter/tests/sample_data/premiere_generators.xml");
    let t = read(&b, &p).unwrap();
    assert_eq!(
        t.rate,
        FrameRate {
            num: 24000,
            den: 1001
        }
    );
    let v1 = clips(&t, 0);
    let names: Vec<(&str, &Media)> = v1.iter().map(|c| (c.name.as_str(), &c.media)).collect();
    assert_eq!(names[0], ("Universal Counting Leader", &Media::Black));
    assert_eq!(names[1], ("Black Video", &Media::Black));
    assert_eq!(names[2], ("Blue Matte", &Media::Colour([0.0, 0.0, 1.0])));
    assert_eq!(names[3], ("HD Bars and Tone", &Media::Bars));
    assert_eq!(names[4].0, "Graphic");
    // Unsupported things are warnings naming the item and its line.
    let leader = &v1[0].warnings;
    assert!(
        leader
            .iter()
            .any(|w| w
                .starts_with("line 49: clipitem \"Universal Counting Leader\" (id clipitem-1)")),
        "{leader:?}"
    );
    assert!(v1[4]
        .warnings
        .iter()
        .any(|w| w.contains("filter \"A center align Title Card")));
    // Premiere's title name holds carriage returns: the warning is one line.
    assert!(v1[4].warnings.iter().all(|w| !w.contains('\r')));
    // A slug's timecode rate means nothing: no warning about it.
    assert_eq!(v1[1].warnings, Vec::<String>::new());
    assert!(t
        .warnings
        .iter()
        .any(|w| w.contains("audio tracks are left out")));
}

#[test]
fn nested_sequences_are_flattened_into_the_parent_track() {
    let (b, p) = fixture("public/otio-fcp-adapter/tests/sample_data/premiere_example.xml");
    let t = read(&b, &p).unwrap();
    let v2 = clips(&t, 1);
    // clipitem-5 (record 636..956) shows nested clipitem-6 then -7.
    let nested: Vec<_> = v2
        .iter()
        .filter(|c| {
            c.origin.id == "clipitem-5/clipitem-6" || c.origin.id == "clipitem-5/clipitem-7"
        })
        .collect();
    assert_eq!(nested.len(), 2);
    assert_eq!(
        (
            nested[0].source_range.start,
            nested[0].source_range.duration
        ),
        (0, 100)
    );
    assert_eq!(
        (
            nested[1].source_range.start,
            nested[1].source_range.duration
        ),
        (0, 220)
    );
    let shown = |f: i64| t.tracks[1].layers_at(f)[0].clip.unwrap().origin.id.clone();
    assert_eq!(
        (shown(700), shown(800)),
        (
            "clipitem-5/clipitem-6".into(),
            "clipitem-5/clipitem-7".into()
        )
    );
}

#[test]
fn a_nested_sequence_trimmed_by_its_clipitem_shows_the_frames_asked() {
    let inner = clip_xml("a", 0, 10, 0, 10, "") + &clip_xml("b", 10, 30, 5, 25, "");
    let nested = format!(
        "<clipitem id=\"n\"><name>N</name><start>0</start><end>12</end><in>6</in><out>18</out>\
         <sequence id=\"inner\"><name>I</name><rate><timebase>24</timebase></rate>\
         <media><video><track>{inner}</track></video></media></sequence></clipitem>\n\
         <clipitem id=\"n2\"><name>N again</name><start>12</start><end>14</end><in>0</in><out>2</out>\
         <sequence id=\"inner\"/></clipitem>"
    );
    let t = read_str(&xml(&nested)).unwrap();
    let c = clips(&t, 0);
    let got: Vec<(&str, i64, i64)> = c
        .iter()
        .map(|c| {
            (
                c.origin.id.as_str(),
                c.source_range.start,
                c.source_range.duration,
            )
        })
        .collect();
    // Frames 6..10 of a (tc 1000 + 6), 10..18 of b (tc 1000 + 5 + 0), then
    // the sequence again by id: frames 0..2 of a.
    // Each use of the sequence numbers its pieces apart.
    assert_eq!(got, [("n/a", 1006, 4), ("n/b", 1005, 8), ("n2/a", 1000, 2)]);
}

#[test]
fn constant_time_remaps_are_time_warps_and_variable_ones_warn() {
    let remap = |speed: &str, reverse: &str, variable: &str| {
        format!(
            "<filter><effect><name>Time Remap</name><effectid>timeremap</effectid>\
             <parameter><parameterid>variablespeed</parameterid><value>{variable}</value></parameter>\
             <parameter><parameterid>speed</parameterid><value>{speed}</value></parameter>\
             <parameter><parameterid>reverse</parameterid><value>{reverse}</value></parameter>\
             </effect></filter>"
        )
    };
    let items = clip_xml("half", 0, 20, 0, 10, &remap("50", "FALSE", "0"))
        + &clip_xml("back", 20, 30, 0, 10, &remap("100", "TRUE", "0"))
        + &clip_xml("vary", 30, 40, 0, 10, &remap("100", "FALSE", "1"))
        + &clip_xml("wild", 40, 50, 0, 10, &remap("1e300", "FALSE", "0"));
    let t = read_str(&xml(&items)).unwrap();
    let c = clips(&t, 0);
    assert_eq!(
        c[0].effects,
        [TimeEffect::LinearTimeWarp { time_scalar: 0.5 }]
    );
    // Half speed holds each frame twice: the 20th frame shows the 10th.
    assert_eq!(c[0].source_frame(19), 1009);
    // Reverse: from the out point back to the in point.
    assert_eq!(
        c[1].effects,
        [TimeEffect::LinearTimeWarp { time_scalar: -1.0 }]
    );
    assert_eq!((c[1].source_frame(0), c[1].source_frame(9)), (1009, 1000));
    assert!(c[2].effects.is_empty());
    assert!(c[3].effects.is_empty());
    assert!(
        c[3].warnings[0].ends_with("Time Remap speed 1e300% is not applied"),
        "{:?}",
        c[3].warnings
    );
    assert!(
        c[2].warnings[0].contains("clipitem \"vary\" (id vary): variable-speed Time Remap"),
        "{:?}",
        c[2].warnings
    );
}

#[test]
fn image_files_are_sequences_and_movies_are_found_by_name() {
    let items = "<clipitem id=\"c1\"><name>plate</name><start>0</start><end>5</end><in>0</in><out>5</out>\
        <file id=\"f1\"><name>plate.1001.exr</name><pathurl>file://localhost/shots/sh010/plate%20v2.1001.exr</pathurl>\
        </file></clipitem>";
    let t = read_str(&xml(items)).unwrap();
    let Media::Sequence(s) = &clips(&t, 0)[0].media else {
        panic!()
    };
    assert_eq!(s.path, "/shots/sh010/plate v2.1001.exr");
    assert_eq!(s.names.clip_name.as_deref(), Some("plate v2"));
}

#[test]
fn content_is_recognised_whatever_the_extension() {
    assert!(looks_like_fcp7(
        b"\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!DOCTYPE xmeml>\n<xmeml version=\"4\">"
    ));
    assert!(!looks_like_fcp7(
        b"<?xml version=\"1.0\"?><fcpxml version=\"1.8\">"
    ));
    assert!(!looks_like_fcp7(b"TITLE: R1\nFCM: NON-DROP FRAME\n"));
    assert!(!looks_like_fcp7(b"{\"OTIO_SCHEMA\": \"Timeline.1\"}"));
}

#[test]
fn truncated_xml_names_the_file_and_line() {
    let (b, _) = fixture("fcp7/premiere_proxies.xml");
    let cut = &b[..b.len() / 2];
    let e = read(cut, Path::new("cut.xml")).unwrap_err().to_string();
    assert!(e.starts_with("cut.xml:"), "{e}");
    let line: usize = e.split(':').nth(1).unwrap().parse().unwrap();
    assert!(line > 100, "{e}");
    assert!(e.contains("XML"), "{e}");
}

#[test]
fn bad_items_are_all_named_with_their_lines() {
    let items = "<clipitem id=\"c1\"><name>no start</name><end>5</end><in>0</in><out>5</out><file id=\"f\"><name>a.mov</name></file></clipitem>\n\
        <clipitem id=\"c2\"><name>backwards</name><start>10</start><end>4</end><in>0</in><out>5</out><file id=\"f\"/></clipitem>\n\
        <clipitem id=\"c3\"><name>out before in</name><start>10</start><end>14</end><in>9</in><out>5</out><file id=\"f\"/></clipitem>\n\
        <clipitem id=\"c4\"><name>zero rate</name><rate><timebase>0</timebase></rate><start>20</start><end>24</end><in>0</in><out>4</out><file id=\"f\"/></clipitem>\n\
        <clipitem id=\"c5\"><name>no media</name><start>30</start><end>34</end><in>0</in><out>4</out></clipitem>\n\
        <clipitem id=\"c6\"><name>dangling</name><start>40</start><end>44</end><in>0</in><out>4</out><file id=\"nowhere\"/></clipitem>";
    let e = read_str(&xml(items)).unwrap_err();
    assert_eq!(e.exit_code(), 2);
    let msg = e.to_string();
    let lines: Vec<&str> = msg.lines().collect();
    let want = [
        "t.xml:8: clipitem \"no start\" (id c1): no <start>",
        "t.xml:9: clipitem \"backwards\" (id c2): a negative duration: it ends at 4, before it starts at 10",
        "t.xml:10: clipitem \"out before in\" (id c3): a negative duration: out 5 is before in 9",
        "t.xml:11: clipitem \"zero rate\" (id c4): timebase 0 is not a frame rate (1 to 1000)",
        "t.xml:12: clipitem \"no media\" (id c5): has neither a <file> nor a <sequence>",
        "t.xml:13: <file id=\"nowhere\"> refers to an element that is never defined",
    ];
    assert_eq!(lines, want, "{msg}");
}

#[test]
fn a_sequence_at_timebase_0_is_refused() {
    let text = xml("").replace("<timebase>24</timebase>", "<timebase>0</timebase>");
    let e = read_str(&text).unwrap_err().to_string();
    assert!(
        e == "t.xml:6: sequence \"S\" (id s1): timebase 0 is not a frame rate (1 to 1000)",
        "{e}"
    );
}

#[test]
fn nested_sequences_that_contain_each_other_are_refused() {
    let text = "<xmeml version=\"5\"><sequence id=\"A\"><name>A</name><rate><timebase>24</timebase></rate>\n\
        <media><video><track><clipitem id=\"ca\"><name>to B</name><start>0</start><end>5</end><in>0</in><out>5</out>\n\
        <sequence id=\"B\"><name>B</name><rate><timebase>24</timebase></rate><media><video><track>\n\
        <clipitem id=\"cb\"><name>to A</name><start>0</start><end>5</end><in>0</in><out>5</out><sequence id=\"A\"/></clipitem>\n\
        </track></video></media></sequence></clipitem></track></video></media></sequence></xmeml>";
    let e = read_str(text).unwrap_err().to_string();
    assert!(
        e.contains("nested sequences form a cycle: sequence \"A\" (id A) contains sequence \"B\" (id B) contains sequence \"A\" (id A)"),
        "{e}"
    );
}

#[test]
fn sequences_nested_many_times_over_stop_at_the_clip_limit() {
    // Each sequence uses the one below it twice: 2^25 clips if expanded.
    let mut text = String::from("<xmeml version=\"5\">\n");
    let leaf = "<sequence id=\"s0\"><name>s0</name><rate><timebase>24</timebase></rate><media><video><track>\
        <generatoritem id=\"g\"><name>Slug</name><start>0</start><end>1</end><in>0</in><out>1</out>\
        <effect><effectid>slug</effectid><effecttype>generator</effecttype></effect></generatoritem></track></video></media></sequence>";
    let mut inner = leaf.to_string();
    for level in 1..=25 {
        let prev = format!("s{}", level - 1);
        inner = format!(
            "<sequence id=\"s{level}\"><name>s{level}</name><rate><timebase>24</timebase></rate><media><video><track>\
             <clipitem id=\"a{level}\"><name>a</name><start>0</start><end>1</end><in>0</in><out>1</out>{inner}</clipitem>\
             <clipitem id=\"b{level}\"><name>b</name><start>1</start><end>2</end><in>0</in><out>1</out><sequence id=\"{prev}\"/></clipitem>\
             </track></video></media></sequence>"
        );
    }
    text.push_str(&inner);
    text.push_str("</xmeml>");
    let started = std::time::Instant::now();
    let r = read_str(&text);
    assert!(r.is_ok() || r.unwrap_err().to_string().contains("clips"));
    assert!(started.elapsed().as_secs() < 60);
}

#[test]
fn a_long_flat_timeline_reads_in_bounded_time() {
    let mut items = String::new();
    for i in 0..20_000i64 {
        items.push_str(&format!(
            "<clipitem id=\"c{i}\"><name>c</name><start>{}</start><end>{}</end><in>0</in><out>2</out><file id=\"f\"/></clipitem>\n",
            2 * i,
            2 * i + 2
        ));
    }
    let text = xml(&items).replace(
        "<clipitem id=\"c0\"><name>c</name><start>0</start><end>2</end><in>0</in><out>2</out><file id=\"f\"/>",
        "<clipitem id=\"c0\"><name>c</name><start>0</start><end>2</end><in>0</in><out>2</out><file id=\"f\"><name>a.mov</name></file>",
    );
    let started = std::time::Instant::now();
    let t = read_str(&text).unwrap();
    assert_eq!(clips(&t, 0).len(), 20_000);
    assert!(started.elapsed().as_secs() < 30);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Every truncation of a sample, and a sample with a byte changed, reads
    /// to a timeline or an error, never a panic.
    #[test]
    fn truncations_never_panic(cut in 0usize..20_000, at in 0usize..20_000, byte in proptest::num::u8::ANY) {
        let (b, _) = fixture("fcp7/premiere_proxies.xml");
        let _ = read(&b[..cut.min(b.len())], Path::new("cut.xml"));
        let mut changed = b.clone();
        let i = at % changed.len();
        changed[i] = byte;
        let _ = read(&changed, Path::new("changed.xml"));
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Tracks of clipitems, transitions and nested sequences with any
    /// times (-1, huge, negative, fractional), rates and speeds read to a
    /// timeline or an error, never a panic; a timeline lays out and plans.
    #[test]
    fn any_times_never_panic(items in proptest::collection::vec((
        0usize..4,
        proptest::collection::vec(proptest::sample::select(vec![
            "-1", "0", "1", "7", "24", "86400", "-5", "1e12", "1e13", "2.5", "x", "",
        ]), 4),
        proptest::sample::select(vec!["24", "25", "30", "0", "23.976", "1000", "-3"]),
        proptest::sample::select(vec!["center", "start", "end-black", "start-black", "diagonal"]),
        proptest::sample::select(vec!["100", "-50", "0", "1e6", "33.3"]),
    ), 0..8)) {
        let mut body = String::new();
        for (kind, t, tb, align, speed) in &items {
            let times = format!("<start>{}</start><end>{}</end><in>{}</in><out>{}</out>", t[0], t[1], t[2], t[3]);
            let rate = format!("<rate><timebase>{tb}</timebase><ntsc>TRUE</ntsc></rate>");
            body.push_str(&match kind {
                0 => format!("<transitionitem>{times}<alignment>{align}</alignment><effect><name>Wipe</name></effect></transitionitem>\n"),
                1 => format!(
                    "<clipitem id=\"c\">{rate}{times}<file id=\"f\"><name>a.mov</name><timecode><frame>{}</frame></timecode></file>\
                     <filter><effect><effectid>timeremap</effectid><parameter><parameterid>speed</parameterid><value>{speed}</value></parameter></effect></filter></clipitem>\n",
                    t[0]
                ),
                2 => format!("<clipitem id=\"n\">{times}<sequence id=\"s1\"/></clipitem>\n"),
                _ => format!("<generatoritem id=\"g\">{times}<effect><effectid>Color</effectid><effecttype>generator</effecttype></effect></generatoritem>\n"),
            });
        }
        if let Ok(t) = read_str(&xml(&body)) {
            let index = MediaIndex::new(Vec::new());
            let p = plan_timeline(&t, Rate::FPS_24, &index, &Default::default());
            let end = p.record.end.min(p.record.start.saturating_add(200));
            for _ in p.frames(p.record.start..end) {}
            for f in t.global_start..t.global_start + t.duration().min(200) {
                let _ = t.layers_at(f);
            }
        }
    }
}

/// A variable-speed Time Remap plays its time graph (`time_remap.xml`: when
/// 100 -> 100, 110 -> 105, 130 -> 145 on a clip from in 100), linear between
/// keyframes and floored as constant speeds are; one whose graph does not
/// read plays at its constant speed, with a warning naming it and its line.
#[test]
fn variable_time_remaps_follow_their_keyframes() {
    let (b, p) = fixture("fcp7/time_remap.xml");
    let t = read(&b, &p).unwrap();
    let c = clips(&t, 0);
    let keys = [(100.0, 100.0), (110.0, 105.0), (130.0, 145.0)];
    assert_eq!(
        c[0].effects,
        [TimeEffect::Remap {
            keyframes: keys.iter().map(|&(w, v)| (w - 100.0, v - 100.0)).collect()
        }]
    );
    // The graph from the file's keyframes: when = in + k.
    let graph = |k: i64| {
        let w = 100.0 + k as f64;
        let seg = if w < keys[1].0 { 0 } else { 1 };
        let ((w0, v0), (w1, v1)) = (keys[seg], keys[seg + 1]);
        (v0 + (w - w0) * (v1 - v0) / (w1 - w0)).floor() as i64
    };
    for k in 0..30 {
        // The file's timecode starts at 0: source frames are media frames.
        assert_eq!(c[0].source_frame(k), graph(k), "frame {k}");
    }
    assert!(c[0].warnings.is_empty(), "{:?}", c[0].warnings);
    // NOKEYS: 150% from its in point, with a warning.
    assert_eq!(
        c[1].effects,
        [TimeEffect::LinearTimeWarp { time_scalar: 1.5 }]
    );
    let w = &c[1].warnings[0];
    assert!(
        w.starts_with("line 124: clipitem \"NOKEYS\" (id clipitem-2): variable-speed Time Remap"),
        "{w}"
    );
    assert!(w.contains("constant 150%"), "{w}");
}

#[test]
fn a_remap_is_bounded_by_its_keyframes_not_its_length() {
    use crate::timeline::model::remap;
    // An hour at a 2x ramp: two keyframes, any frame in O(log n).
    let keys = vec![(0.0, 0.0), (86_400.0, 172_800.0)];
    assert_eq!(remap(&keys, 86_399), 172_798);
    // Beyond the last keyframe the last segment's speed goes on; before the
    // first, the first's.
    assert_eq!(remap(&keys, 86_401), 172_802);
    assert_eq!(remap(&keys, -1), -2);
    // One keyframe holds; none leaves the frame as it is.
    assert_eq!(remap(&[(3.0, 7.0)], 100), 7);
    assert_eq!(remap(&[], 5), 5);
    // Non-finite or huge arithmetic saturates rather than panics.
    assert_eq!(remap(&[(0.0, 0.0), (1.0, 1e300)], i64::MAX), i64::MAX);
}
