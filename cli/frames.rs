//! Which frames a run renders: `--frames`, `--start/--end` and `--chunk K/N`
//! narrow the frames a job has, in that order. A chunk is a contiguous slice
//! of the selected frames, so N chunks cover the job exactly once.

use anyhow::{bail, Context, Result};
use grade_engine::io::sequence::FrameSet;

use crate::args::RunArgs;

/// Selects from `available` (sorted, unique) what this run renders.
pub fn select(available: &[i64], run: &RunArgs) -> Result<Vec<i64>> {
    let mut frames: Vec<i64> = available.to_vec();
    if let Some(spec) = &run.frames {
        let set = FrameSet::parse(spec).map_err(|e| anyhow::anyhow!("--frames {spec}: {e}"))?;
        let wanted: std::collections::BTreeSet<i64> = set.iter().collect();
        let missing: Vec<i64> = wanted
            .iter()
            .copied()
            .filter(|f| available.binary_search(f).is_err())
            .collect();
        if !missing.is_empty() {
            bail!(
                "--frames {spec}: {} requested frame(s) are not in the job, first {}",
                missing.len(),
                missing[0]
            );
        }
        frames.retain(|f| wanted.contains(f));
    }
    if let Some(s) = run.start {
        frames.retain(|&f| f >= s);
    }
    if let Some(e) = run.end {
        frames.retain(|&f| f <= e);
    }
    if let Some(spec) = &run.chunk {
        let (k, n) = parse_chunk(spec)?;
        let len = frames.len();
        // Chunk k of n takes [len*(k-1)/n, len*k/n): contiguous, sizes differ by at most one.
        let lo = len * (k - 1) / n;
        let hi = len * k / n;
        frames = frames[lo..hi].to_vec();
    }
    Ok(frames)
}

pub fn parse_chunk(spec: &str) -> Result<(usize, usize)> {
    let (k, n) = spec
        .split_once('/')
        .with_context(|| format!("--chunk {spec}: expected K/N, e.g. 3/8"))?;
    let k: usize = k
        .trim()
        .parse()
        .with_context(|| format!("--chunk {spec}: K is not a whole number"))?;
    let n: usize = n
        .trim()
        .parse()
        .with_context(|| format!("--chunk {spec}: N is not a whole number"))?;
    if n == 0 || k == 0 || k > n {
        bail!("--chunk {spec}: K must be between 1 and N (chunks are numbered from 1)");
    }
    Ok((k, n))
}
