//! Numbers and rates: the lenient number path, rationals, no drift.

use super::*;

#[test]
fn non_finite_numbers_are_quoted_outside_strings_only() {
    let text =
        r#"{"a": NaN, "b": [Inf, -Infinity, -Inf, Infinity], "c": "NaN Inf", "d": "q\"NaN"}"#;
    let v: Value = serde_json::from_str(&lenient_text(text)).unwrap();
    assert_eq!(v["a"], "NaN");
    assert_eq!(v["b"][0], "Infinity");
    assert_eq!(v["b"][1], "-Infinity");
    assert_eq!(v["b"][2], "-Infinity");
    assert_eq!(v["c"], "NaN Inf");
    assert_eq!(v["d"], "q\"NaN");
    assert!(matches!(
        lenient_text(r#"{"a": 1}"#),
        std::borrow::Cow::Borrowed(_)
    ));
}

#[test]
fn rates_are_rationals() {
    let r = |n, d| FrameRate::new(n, d);
    assert_eq!(rate_of(23.976023976023978), r(24000, 1001));
    assert_eq!(rate_of(23.976), r(24000, 1001));
    assert_eq!(rate_of(29.97), r(30000, 1001));
    assert_eq!(rate_of(25.0), r(25, 1));
    assert_eq!(rate_of(23.98), r(1199, 50));
    assert_eq!(rate_of(0.0), None);
    assert_eq!(rate_of(f64::NAN), None);
    assert_eq!(rate_of(-24.0), None);
}

#[test]
fn an_hour_at_23_976_has_no_drift() {
    // 3600 s at 24000/1001 is 86313.686 frames: clips of 86313 and 1
    // frames, written at the rate OpenTimelineIO prints for 23.976.
    let rate = "23.976023976023978";
    let clip_at = |name: &str, start: f64, dur: f64| {
        format!(
            r#"{{"OTIO_SCHEMA": "Clip.2", "name": "{name}", "source_range": {},
                "media_references": {{"DEFAULT_MEDIA": {{"OTIO_SCHEMA": "MissingReference.1"}}}},
                "active_media_reference_key": "DEFAULT_MEDIA"}}"#,
            range(start, dur, rate)
        )
    };
    let text = format!(
        r#"{{"OTIO_SCHEMA": "Timeline.1",
            "global_start_time": {{"OTIO_SCHEMA": "RationalTime.1", "value": 86313.0, "rate": {rate}}},
            "tracks": {{"OTIO_SCHEMA": "Stack.1", "children": [{}]}}}}"#,
        track(&[clip_at("long", 0.0, 86313.0), clip_at("last", 86313.0, 1.0)])
    );
    let t = parse(&text).unwrap();
    assert_eq!(
        t.rate,
        FrameRate {
            num: 24000,
            den: 1001
        }
    );
    assert_eq!(t.global_start, 86313);
    let last = t.layers_at(86313 + 86313);
    assert_eq!(last.len(), 1);
    assert_eq!(last[0].clip.unwrap().name, "last");
    assert_eq!(last[0].source_frame, 86313);
}
