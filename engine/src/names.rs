//! "Nearest: ..." suggestions for a name grade does not know (a colour
//! space, an OpenColorIO look or view, a format, a resize mode or filter):
//! the known names closest by edit distance, ignoring case. Every "unknown
//! name" error in the engine ranks its suggestions here, so they read alike.

/// Levenshtein distance between `a` and `b`, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Up to `n` of `candidates` nearest to `name` by edit distance
/// (case-insensitive), nearest first, ties in name order.
pub fn nearest_names<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    nearest(name, candidates.into_iter().map(|c| (c, c)), n)
}

/// Like [`nearest_names`] where several spellings stand for one thing
/// (a name and its aliases): each `(spelling, thing)` pair is measured, and
/// each thing is suggested once, at its nearest spelling.
pub fn nearest<'a, T: Ord + Copy>(
    name: &str,
    spellings: impl IntoIterator<Item = (&'a str, T)>,
    n: usize,
) -> Vec<T> {
    let want = name.to_lowercase();
    let mut near: Vec<(usize, T)> = spellings
        .into_iter()
        .map(|(s, t)| (edit_distance(&want, &s.to_lowercase()), t))
        .collect();
    near.sort();
    let mut out: Vec<T> = Vec::new();
    for (_, t) in near {
        if out.len() == n {
            break;
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_first_ignoring_case_each_once() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(
            nearest_names("BXO", ["lanczos3", "box", "box"], 3),
            ["box", "lanczos3"]
        );
        let spellings = [("ACEScg", 1), ("ap1", 1), ("aces", 0), ("ACES2065-1", 0)];
        assert_eq!(nearest("ap0", spellings, 3), [1, 0]);
    }
}
