//! Media references: Clip.2 keys and `.otioz` bundles.

use super::*;

#[test]
fn clip2_media_reference_keys() {
    let text = timeline_json(&track(&[format!(
        r#"{{"OTIO_SCHEMA": "Clip.2", "name": "A001C003", "source_range": {},
            "metadata": {{"cmx_3600": {{"reel": "A001"}},
                          "cdl": {{"asc_sop": {{"slope": [1.1, 1.0, 0.9], "offset": [0.01, 0, -0.01], "power": [1, 1, 1.2]}}, "asc_sat": 0.8}}}},
            "media_references": {{
                "DEFAULT_MEDIA": {{"OTIO_SCHEMA": "ExternalReference.1", "target_url": "proxies/A001C003.mov"}},
                "camera": {{"OTIO_SCHEMA": "ExternalReference.1", "target_url": "file:///scans/A001%20C003/A001C003.1001.dpx"}}}},
            "active_media_reference_key": "DEFAULT_MEDIA"}}"#,
        range(1001.0, 10.0, "24")
    )]));
    let first = |t: &Timeline| match &t.tracks[0].items[0] {
        Item::Clip(c) => (**c).clone(),
        other => panic!("{other:?}"),
    };
    let c = first(&parse(&text).unwrap());
    let Media::Named(n) = &c.media else {
        panic!("{:?}", c.media)
    };
    assert_eq!(n.reel.as_deref(), Some("A001"));
    assert_eq!(n.clip_name.as_deref(), Some("A001C003"));
    assert_eq!(n.source_file.as_deref(), Some("A001C003.mov"));
    assert_eq!(n.path.as_deref(), Some("/cut/proxies/A001C003.mov"));
    let cdl = c.cdl.unwrap();
    assert_eq!(cdl.slope, [1.1, 1.0, 0.9]);
    assert_eq!(cdl.power, [1.0, 1.0, 1.2]);
    assert_eq!(cdl.saturation, Some(0.8));
    let opts = OtioOptions {
        media_reference: Some("camera".into()),
        ..Default::default()
    };
    let t = read(text.as_bytes(), Path::new("/cut/test.otio"), &opts).unwrap();
    let Media::Sequence(s) = first(&t).media else {
        panic!()
    };
    assert_eq!(s.path, "/scans/A001 C003/A001C003.1001.dpx");
    assert_eq!(s.start_frame, None);
    let opts = OtioOptions {
        media_reference: Some("proxy".into()),
        ..Default::default()
    };
    let e = message(&read(text.as_bytes(), Path::new("/cut/test.otio"), &opts).unwrap_err());
    assert!(
        e.contains("\"proxy\"") && e.contains("DEFAULT_MEDIA, camera"),
        "{e}"
    );
}

#[test]
fn otioz_bundles_extract_their_media() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let content = timeline_json(&track(&[format!(
        r#"{{"OTIO_SCHEMA": "Clip.1", "name": "p", "source_range": {},
            "media_reference": {{"OTIO_SCHEMA": "ExternalReference.1", "target_url": "media/p.1001.exr"}}}}"#,
        range(0.0, 3.0, "24")
    )]));
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("content.otio", o).unwrap();
        z.write_all(content.as_bytes()).unwrap();
        z.start_file("media/p.1001.exr", o).unwrap();
        z.write_all(b"not really an exr").unwrap();
        z.finish().unwrap();
    }
    let bytes = buf.into_inner();
    assert!(looks_like_otio(&bytes));
    let opts = OtioOptions {
        bundle_dir: Some(dir.path().join("x")),
        ..Default::default()
    };
    let t = read(&bytes, &dir.path().join("cut.otioz"), &opts).unwrap();
    let Item::Clip(c) = &t.tracks[0].items[0] else {
        panic!()
    };
    let Media::Sequence(s) = &c.media else {
        panic!("{:?}", c.media)
    };
    let file = dir.path().join("x/media/p.1001.exr");
    assert_eq!(s.path, file.to_string_lossy());
    assert_eq!(std::fs::read(&file).unwrap(), b"not really an exr");
}
