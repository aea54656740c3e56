//! The six hash formats of ASC MHL v2 (md5, sha1, xxh64, xxh3, xxh128, c4),
//! written as ascmhl writes them: lowercase hex, except C4, which is
//! SHA-512 as a base58 number padded to 88 digits behind `c4`.
//!
//! Directory hashes hash the sorted digests of a folder's children
//! ([`hash_of_hash_list`]), byte strings decoded from each digest's text, as
//! the reference tool's `hasher.py` does.

use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;

use md5::Digest as _;

/// A hash format, in the order the schema lists them inside `<hash>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HashFormat {
    C4,
    Md5,
    Sha1,
    Xxh128,
    Xxh3,
    Xxh64,
}

impl HashFormat {
    /// Every format, in schema order.
    pub const ALL: [HashFormat; 6] = [
        HashFormat::C4,
        HashFormat::Md5,
        HashFormat::Sha1,
        HashFormat::Xxh128,
        HashFormat::Xxh3,
        HashFormat::Xxh64,
    ];

    /// The element name in a manifest (and the `--hash` value).
    pub fn name(self) -> &'static str {
        match self {
            HashFormat::C4 => "c4",
            HashFormat::Md5 => "md5",
            HashFormat::Sha1 => "sha1",
            HashFormat::Xxh128 => "xxh128",
            HashFormat::Xxh3 => "xxh3",
            HashFormat::Xxh64 => "xxh64",
        }
    }

    pub fn from_name(name: &str) -> Option<HashFormat> {
        HashFormat::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// A running hash of one format.
pub enum Hasher {
    C4(Box<sha2::Sha512>),
    Md5(md5::Md5),
    Sha1(sha1::Sha1),
    Xxh128(Box<xxhash_rust::xxh3::Xxh3>),
    Xxh3(Box<xxhash_rust::xxh3::Xxh3>),
    Xxh64(xxhash_rust::xxh64::Xxh64),
}

impl Hasher {
    pub fn new(format: HashFormat) -> Hasher {
        match format {
            HashFormat::C4 => Hasher::C4(Box::default()),
            HashFormat::Md5 => Hasher::Md5(md5::Md5::new()),
            HashFormat::Sha1 => Hasher::Sha1(sha1::Sha1::new()),
            HashFormat::Xxh128 => Hasher::Xxh128(Box::default()),
            HashFormat::Xxh3 => Hasher::Xxh3(Box::default()),
            HashFormat::Xxh64 => Hasher::Xxh64(xxhash_rust::xxh64::Xxh64::new(0)),
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::C4(h) => h.update(data),
            Hasher::Md5(h) => h.update(data),
            Hasher::Sha1(h) => h.update(data),
            Hasher::Xxh128(h) | Hasher::Xxh3(h) => h.update(data),
            Hasher::Xxh64(h) => h.update(data),
        }
    }

    /// The digest as a manifest writes it.
    pub fn finish(self) -> String {
        match self {
            Hasher::C4(h) => c4_string(&h.finalize()),
            Hasher::Md5(h) => hex(&h.finalize()),
            Hasher::Sha1(h) => hex(&h.finalize()),
            Hasher::Xxh128(h) => format!("{:032x}", h.digest128()),
            Hasher::Xxh3(h) => format!("{:016x}", h.digest()),
            Hasher::Xxh64(h) => format!("{:016x}", h.digest()),
        }
    }
}

/// Feeding a hasher as a writer: what is written is hashed.
impl std::io::Write for Hasher {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The digest of `data` in `format`.
pub fn hash_bytes(format: HashFormat, data: &[u8]) -> String {
    let mut h = Hasher::new(format);
    h.update(data);
    h.finish()
}

/// Hashes a file in every format of `formats`, reading it once.
pub fn hash_file(path: &Path, formats: &[HashFormat]) -> std::io::Result<Vec<String>> {
    let mut hashers: Vec<Hasher> = formats.iter().map(|f| Hasher::new(*f)).collect();
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        for h in &mut hashers {
            h.update(&buf[..n]);
        }
    }
    Ok(hashers.into_iter().map(Hasher::finish).collect())
}

/// The hash of a list of digests: sorted as text, each decoded to its bytes
/// and fed in turn (ascmhl's `hash_of_hash_list`). `None` when a digest is
/// not valid text for `format`.
pub fn hash_of_hash_list(format: HashFormat, digests: &[String]) -> Option<String> {
    let mut sorted: Vec<&String> = digests.iter().collect();
    sorted.sort();
    let mut h = Hasher::new(format);
    for d in sorted {
        h.update(&digest_bytes(format, d)?);
    }
    Some(h.finish())
}

/// The bytes a digest's text stands for.
pub fn digest_bytes(format: HashFormat, digest: &str) -> Option<Vec<u8>> {
    match format {
        HashFormat::C4 => {
            let digits = digest.strip_prefix("c4")?;
            if digits.len() != 88 {
                return None;
            }
            let bytes = bs58::decode(digits.trim_start_matches('1'))
                .into_vec()
                .ok()?;
            if bytes.len() > 64 {
                return None;
            }
            let mut out = vec![0u8; 64 - bytes.len()];
            out.extend_from_slice(&bytes);
            Some(out)
        }
        _ => unhex(digest),
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// C4 ID: the 512-bit digest as one base58 number, padded with '1' (zero)
/// to 88 digits. bs58 writes each leading zero byte as a '1', so strip
/// those and pad the number itself.
fn c4_string(sha512: &[u8]) -> String {
    let digits = bs58::encode(sha512).into_string();
    let digits = digits.trim_start_matches('1');
    format!("c4{digits:1>88}")
}
