//! FCPXML and AAF reach `grade conform` as OpenTimelineIO, converted by
//! `otioconvert` (README, "Other editorial formats"). The public FCPXML
//! sample is converted with the `otioconvert` of `.venv` (OpenTimelineIO
//! with its FCPXML adapter, from `scripts/setup`).

use std::process::Command;

use crate::common::data;

/// Counts the objects of `schema` (e.g. `Clip`, any version) in OTIO JSON.
fn count(v: &serde_json::Value, schema: &str) -> usize {
    let own = v["OTIO_SCHEMA"]
        .as_str()
        .is_some_and(|s| s.split('.').next() == Some(schema)) as usize;
    own + match v {
        serde_json::Value::Object(m) => m.values().map(|x| count(x, schema)).sum(),
        serde_json::Value::Array(a) => a.iter().map(|x| count(x, schema)).sum(),
        _ => 0,
    }
}

#[test]
fn the_public_fcpxml_sample_converts_to_otio() {
    let Some(otioconvert) = crate::mhl::tool("otioconvert") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let otio = tmp.path().join("fcpx_example.otio");
    let fcpxml = data("public/otio-fcpx-xml-adapter/tests/sample_data/fcpx_example.fcpxml");
    let out = Command::new(&otioconvert)
        .arg("-i")
        .arg(&fcpxml)
        .arg("-o")
        .arg(&otio)
        .output()
        .expect("run otioconvert");
    assert!(
        out.status.success(),
        "otioconvert failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&otio).expect("otioconvert wrote the .otio"))
            .expect("the .otio is JSON");
    // The sample holds two projects: a collection of two timelines, with
    // clips on their video tracks.
    assert_eq!(count(&json, "Timeline"), 2, "{}", json["OTIO_SCHEMA"]);
    assert!(count(&json, "Clip") > 0);

    // CONFORM HERE (the_public_fcpxml_sample_converts_to_otio): once
    // `grade conform` reads .otio, conform `otio` with `--dry-run --report`
    // and check every clip of the first timeline is an event of the report
    // (the sample's media are not in tests/data: they are reported missing).
}
