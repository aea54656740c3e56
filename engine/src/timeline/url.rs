//! Paths out of the `file://` URLs timelines write (OpenTimelineIO's
//! `target_url`s, FCP7's `pathurl`s): `file://localhost/Volumes/x%20y.mov`
//! and `file:///Volumes/x%20y.mov` are both `/Volumes/x y.mov`.

/// The path of a `file://` URL (any host dropped, percent escapes
/// decoded); `None` for anything else.
pub fn file_url_path(url: &str) -> Option<String> {
    let rest = match url.get(..7) {
        Some(s) if s.eq_ignore_ascii_case("file://") => &url[7..],
        _ => return None,
    };
    // The host: "localhost" or nothing.
    let path = match rest.find('/') {
        Some(i) => &rest[i..],
        None => rest,
    };
    Some(percent_decode(path))
}

/// `%XX` escapes decoded; anything else kept as written.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_with_and_without_a_host() {
        let want = Some("/Volumes/x y.mov".to_string());
        assert_eq!(file_url_path("file://localhost/Volumes/x%20y.mov"), want);
        assert_eq!(file_url_path("file:///Volumes/x%20y.mov"), want);
        assert_eq!(file_url_path("FILE:///Volumes/x%20y.mov"), want);
        assert_eq!(file_url_path("/Volumes/x.mov"), None);
        assert_eq!(percent_decode("a%2"), "a%2");
    }
}
