//! Edit timelines: timecode, CMX3600 EDLs, the media index and conform.
//!
//! [`timecode`] turns labels into frame counts at a [`Rate`]; [`edl`] reads a
//! CMX3600 edit decision list into events; [`conform`] matches events to
//! source media and plans, frame by frame, what each record frame shows;
//! [`model`] is the format-neutral timeline the readers produce;
//! [`otio`] reads OpenTimelineIO into it;
//! [`job`] turns a plan into programs and frame recipes in the master
//! format; [`report`] describes it, event by event; [`rates`] chooses the
//! conform rate when none is given and names sources at another rate.

pub mod conform;
pub mod edl;
#[cfg(test)]
mod edl_otio_tests;
pub mod export_otio;
pub mod fcp7;
pub mod job;
mod media;
pub mod model;
pub mod otio;
mod proxy_map;
pub mod rates;
pub mod read;
pub mod references;
pub mod report;
pub mod timecode;
pub mod trace;
mod unreadable;
pub mod url;

pub use conform::{
    plan, ConformPlan, MatchOptions, MediaIndex, Picture, ProxyMap, RecordFrame, ScanOptions,
    SideMatch, SourceClip,
};
pub use edl::{parse as parse_edl, Edl, Event};
pub(crate) use media::clip_name_of_file;
pub use timecode::{parse_timecode, Rate, TimecodeError};
