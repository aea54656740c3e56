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

    // grade conforms the converted cut: the first timeline of the
    // collection, its clips events of the report (the sample's media are
    // not in tests/data: they are reported missing).
    let media = tmp.path().join("media");
    std::fs::create_dir(&media).unwrap();
    let report = tmp.path().join("report.json");
    let out = crate::common::run(
        crate::common::grade()
            .arg("conform")
            .arg(&otio)
            .arg("--media")
            .arg(&media)
            .args(["--dry-run", "--allow-missing", "--report"])
            .arg(&report),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        crate::common::stderr(&out)
    );
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(r["timeline_format"], "otio");
    let events = r["events"].as_array().unwrap();
    assert!(!events.is_empty(), "{r}");
    assert!(
        r["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["message"].as_str().unwrap_or("").contains("2 timelines")),
        "{}",
        r["warnings"]
    );
}
