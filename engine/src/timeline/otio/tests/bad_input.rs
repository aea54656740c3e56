//! Bad input: an error naming the file and item, bounded depth and size,
//! never a panic.

use super::*;

#[test]
fn bad_input_is_an_error_naming_the_file_and_item() {
    // Truncated JSON: the file and line.
    let text = timeline_json(&track(&[clip("a", 0.0, 10.0)]));
    let e = message(&parse(&text[..text.len() / 2]).unwrap_err());
    assert!(e.contains("/cut/test.otio") && e.contains(':'), "{e}");
    // Every problem in the file, each naming its item.
    let text = timeline_json(&track(&[
        clip("neg", 0.0, -5.0),
        format!(
            r#"{{"OTIO_SCHEMA": "Clip.1", "name": "zero", "source_range": {}}}"#,
            range(0.0, 5.0, "0")
        ),
        format!(
            r#"{{"OTIO_SCHEMA": "Clip.1", "name": "nan", "source_range": {}}}"#,
            range(0.0, 5.0, "NaN")
        ),
    ]));
    let e = message(&parse(&text).unwrap_err());
    for (item, what) in [
        ("neg", "negative duration"),
        ("zero", "rate 0"),
        ("nan", "rate NaN"),
    ] {
        assert!(
            e.contains(&format!("\"{item}\"")) && e.contains(what),
            "{item}: {what} not in {e}"
        );
    }
    // Not a timeline.
    assert!(parse(r#"{"OTIO_SCHEMA": "Clip.1"}"#).is_err());
    assert!(parse("[]").is_err());
}

#[test]
fn deep_nesting_is_refused() {
    // Stacks in tracks in stacks, as a reference cycle written out would
    // be: past MAX_DEPTH compositions grade refuses it, past 128 JSON
    // levels serde_json does.
    for (levels, says) in [
        (26, "nested more than 48 deep"),
        (100, "JSON nested too deep"),
    ] {
        let mut inner = clip("a", 0.0, 10.0);
        for _ in 0..levels {
            inner = format!(
                r#"{{"OTIO_SCHEMA": "Stack.1", "children": [{{"OTIO_SCHEMA": "Track.1", "children": [{inner}]}}]}}"#
            );
        }
        let e = message(&parse(&timeline_json(&track(&[inner]))).unwrap_err());
        assert!(
            e.contains(says) && e.starts_with("/cut/test.otio"),
            "{levels}: {e}"
        );
    }
}

#[test]
fn no_prefix_of_a_sample_panics() {
    for name in [
        "nested_example.otio",
        "transition_test.otio",
        "big_int.otio",
    ] {
        let path = testutil::fixture(&format!("public/otio/tests/sample_data/{name}"));
        let bytes = std::fs::read(&path).unwrap();
        for n in (0..bytes.len()).step_by(5) {
            let _ = read(&bytes[..n], &path, &OtioOptions::default());
        }
    }
}

#[test]
fn a_million_clips_read_in_bounded_time() {
    // No per-frame work: every clip lasts a day of frames.
    let one = r#"{"OTIO_SCHEMA":"Clip.1","source_range":{"start_time":{"value":0,"rate":24},"duration":{"value":2073600,"rate":24}}}"#;
    let n = 1_000_000;
    let mut items = String::with_capacity(n * (one.len() + 1));
    for i in 0..n {
        if i > 0 {
            items.push(',');
        }
        items.push_str(one);
    }
    let text = timeline_json(&format!(
        r#"{{"OTIO_SCHEMA":"Track.1","children":[{items}]}}"#
    ));
    drop(items);
    let t0 = Instant::now();
    let t = parse(&text).unwrap();
    let secs = t0.elapsed().as_secs_f64();
    assert_eq!(t.tracks[0].items.len(), n);
    assert_eq!(t.duration(), 2_073_600 * n as i64);
    eprintln!("{n} clips read in {secs:.2} s");
    // Generous for a loaded debug build; a per-frame expansion would take hours.
    assert!(secs < 60.0, "{secs} s");
}
