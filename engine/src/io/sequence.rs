//! Frame sequences: `name.%04d.ext`, `name.####.ext`, `name.@@@@.ext` patterns,
//! discovery of a sequence's frames on disk, gaps, and `--frames` sets.
