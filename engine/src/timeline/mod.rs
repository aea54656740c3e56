//! Edit timelines: timecode, CMX3600 EDLs, the media index and conform.
