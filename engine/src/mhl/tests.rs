use std::path::Path;

use super::*;

/// Vectors from the ASC reference tool's own tests (ascmitc/mhl
/// tests/test_hasher.py, `test_hash_data`), plus RFC 1321 and FIPS 180 for
/// md5 and sha1 of "abc".
#[test]
fn hashes_match_the_reference_vectors() {
    let data = b"media-hash-list";
    let want = [
        (HashFormat::Md5, "9db0fc9f30f5ee70041a7538809e2858"),
        (HashFormat::Sha1, "7b57673ac5633937a55b59009ad0c57ee08188b7"),
        (HashFormat::Xxh64, "584b2ea1974f2b7c"),
        (HashFormat::Xxh3, "6d4cbd75905c81aa"),
        (HashFormat::Xxh128, "61a67c014f703a456ee7a776fd8c06bd"),
        (
            HashFormat::C4,
            "c456LycWwpMMS7VDZEKvYv2L1uJS6s4qAFnaJdnQiy5JVbBFZMA8aLDS6SPaJjLqxXH4qZdnbuktopMt9frtC2qL1R",
        ),
    ];
    for (format, digest) in want {
        assert_eq!(hash_bytes(format, data), digest, "{}", format.name());
    }
    assert_eq!(
        hash_bytes(HashFormat::Md5, b"abc"),
        "900150983cd24fb0d6963f7d28e17f72"
    );
    assert_eq!(
        hash_bytes(HashFormat::Sha1, b"abc"),
        "a9993e364706816aba3e25717850c26c9cd0d89d"
    );
}

/// ascmitc/mhl tests/test_hasher.py `test_hash_of_hash_list` (no C4 there).
#[test]
fn hash_of_hash_list_matches_the_reference() {
    let list: Vec<String> = ["bb", "aa10", "aa01", "aa"].map(String::from).to_vec();
    let want = [
        (HashFormat::Md5, "88abf5c156ff637c6380ae461fc50c3f"),
        (HashFormat::Sha1, "22ad6b98111f6571c9ae1449988260b920960c16"),
        (HashFormat::Xxh64, "c4e803e454029ee4"),
        (HashFormat::Xxh3, "d908e88da5ad4928"),
        (HashFormat::Xxh128, "9041108a28887a9d35b4eac5bbaa5794"),
    ];
    for (format, digest) in want {
        assert_eq!(
            hash_of_hash_list(format, &list).as_deref(),
            Some(digest),
            "{}",
            format.name()
        );
    }
    assert_eq!(hash_of_hash_list(HashFormat::Md5, &["zz".into()]), None);
}

#[test]
fn c4_digits_decode_to_the_sha512_bytes() {
    let c4 = hash_bytes(HashFormat::C4, b"media-hash-list");
    let bytes = digest_bytes(HashFormat::C4, &c4).unwrap();
    assert_eq!(bytes.len(), 64);
    assert_eq!(hash_bytes(HashFormat::C4, b"media-hash-list").len(), 90);
    assert_eq!(digest_bytes(HashFormat::C4, "c4abc"), None);
}

#[test]
fn dates_are_utc_civil_time() {
    assert_eq!(iso_date(0), "1970-01-01T00:00:00+00:00");
    // 2000-02-29 00:00:00 UTC, a leap day of a century year.
    assert_eq!(iso_date(951_782_400), "2000-02-29T00:00:00+00:00");
    assert_eq!(iso_date(951_782_400 + 86_399), "2000-02-29T23:59:59+00:00");
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

#[test]
fn a_second_generation_verifies_and_finds_what_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "a.dpx", b"frame a");
    write(dir, "sub/b.dpx", b"frame b");
    write(dir, ".a.dpx.tmp-1-0", b"half a frame");
    let first = create(dir, HashFormat::Md5).unwrap();
    assert_eq!(first.generation, 1);
    assert_eq!(first.new, ["a.dpx", "sub/b.dpx"]);
    let name = first
        .manifest
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.starts_with("0001_"), "{name}");
    assert!(name.ends_with("Z.mhl"), "{name}");
    let xml = std::fs::read_to_string(&first.manifest).unwrap();
    assert!(!xml.contains(".tmp-1"), "{xml}");
    assert!(xml.contains("action=\"original\""), "{xml}");
    // The chain holds the C4 of the manifest's exact bytes.
    let chain = read_chain(&dir.join(FOLDER).join(CHAIN)).unwrap();
    assert_eq!(chain[0].c4, hash_bytes(HashFormat::C4, xml.as_bytes()));
    assert!(verify(dir).unwrap().is_intact());

    write(dir, "c.dpx", b"frame c");
    let second = create(dir, HashFormat::Xxh128).unwrap();
    assert_eq!((second.generation, second.verified), (2, 2));
    assert_eq!(second.new, ["c.dpx"]);
    let xml = std::fs::read_to_string(&second.manifest).unwrap();
    // md5 verified, then the new xxh128, in schema order.
    let md5 = xml.find("<md5 action=\"verified\"").unwrap();
    let xxh = xml.find("<xxh128 action=\"original\"").unwrap();
    assert!(md5 < xxh, "{xml}");

    write(dir, "a.dpx", b"frame A");
    std::fs::remove_file(dir.join("sub/b.dpx")).unwrap();
    write(dir, "d.dpx", b"frame d");
    let v = verify(dir).unwrap();
    assert_eq!(v.mismatched, ["a.dpx"]);
    assert_eq!(v.missing, ["sub/b.dpx"]);
    assert_eq!(v.new, ["d.dpx"]);
    let third = create(dir, HashFormat::Xxh128).unwrap();
    assert_eq!(third.mismatched, ["a.dpx"]);
    assert_eq!(third.missing, ["sub/b.dpx"]);
}

#[test]
fn an_edited_manifest_breaks_the_history() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a.dpx", b"frame a");
    let c = create(tmp.path(), HashFormat::Xxh64).unwrap();
    let xml = std::fs::read_to_string(&c.manifest).unwrap();
    std::fs::write(&c.manifest, xml.replace("in-place", "transfer")).unwrap();
    let err = verify(tmp.path()).unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert!(
        err.to_string().contains(&*c.manifest.to_string_lossy()),
        "{err}"
    );
    assert!(err.to_string().contains("does not match its C4"), "{err}");
}

#[test]
fn a_folder_without_history_is_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let err = verify(tmp.path()).unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert!(err.to_string().contains("ascmhl_chain.xml"), "{err}");
    let err = verify(&tmp.path().join("nope")).unwrap_err();
    assert_eq!(err.exit_code(), 2);
}

#[test]
fn a_broken_chain_names_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "ascmhl/ascmhl_chain.xml",
        b"<ascmhldirectory>\n<hashlist>\n</ascmhldirectory>\n",
    );
    let err = verify(tmp.path()).unwrap_err();
    assert!(err.to_string().contains("ascmhl_chain.xml:"), "{err}");
    assert_eq!(err.exit_code(), 2);
}
