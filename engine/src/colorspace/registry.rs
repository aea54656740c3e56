//! The registry: every built-in colour space by name and alias, with its
//! curve, its primaries and how its white is adapted to ACES; lookup by
//! name, with the nearest names for one it does not know.

use super::curves::*;
use super::gamut::*;
use crate::grade::Op;
use crate::{Error, Result};

/// One named colour space.
#[derive(Debug, Clone)]
pub struct ColourSpace {
    /// Short name as typed after `--from` / `--to`.
    pub name: &'static str,
    /// Other accepted names (OpenColorIO-style).
    pub aliases: &'static [&'static str],
    pub description: &'static str,
    /// Encoded values to linear in this space's gamut.
    pub to_linear: fn() -> Vec<Op>,
    /// Linear to encoded where that is not the inverse of `to_linear`
    /// (a half-domain table has no inverse; its encoding is its own table).
    pub from_linear: Option<fn() -> Vec<Op>>,
    pub primaries: Primaries,
    /// How this space's white is adapted to the ACES white.
    pub adaptation: Adaptation,
    /// ACES2065-1 values are clamped at 0 on the way in and out, as the ACES
    /// reference (and OpenColorIO's ACEScc built-in) does.
    pub clamp_aces_negatives: bool,
}

impl ColourSpace {
    /// Linear in this space's gamut to encoded values.
    pub fn from_linear_ops(&self) -> Result<Vec<Op>> {
        if let Some(f) = self.from_linear {
            return Ok(f());
        }
        let mut ops = Vec::new();
        for op in (self.to_linear)().iter().rev() {
            ops.extend(op.inverse()?);
        }
        Ok(ops)
    }
}

/// A colour space with the default inverse and no ACES clamp.
const fn space(
    name: &'static str,
    aliases: &'static [&'static str],
    description: &'static str,
    to_linear: fn() -> Vec<Op>,
    primaries: Primaries,
    adaptation: Adaptation,
) -> ColourSpace {
    ColourSpace {
        name,
        aliases,
        description,
        to_linear,
        from_linear: None,
        primaries,
        adaptation,
        clamp_aces_negatives: false,
    }
}

/// Every built-in colour space.
pub fn registry() -> Vec<ColourSpace> {
    use Adaptation::{Bradford, Cat02};
    vec![
        space(
            "aces",
            &["ACES2065-1", "ap0", "aces2065"],
            "ACES2065-1 linear, AP0 primaries",
            none,
            AP0,
            Bradford,
        ),
        space(
            "acescg",
            &["ACEScg", "ap1"],
            "ACEScg linear, AP1 primaries",
            none,
            AP1,
            Bradford,
        ),
        space(
            "acescct",
            &["ACEScct"],
            "ACEScct log, AP1 primaries",
            acescct,
            AP1,
            Bradford,
        ),
        ColourSpace {
            clamp_aces_negatives: true,
            ..space(
                "acescc",
                &["ACEScc"],
                "ACEScc log (pure log, no toe), AP1 primaries",
                acescc,
                AP1,
                Bradford,
            )
        },
        space(
            "logc3",
            &["ARRI LogC3 (EI800)", "logc3-awg3", "alexa"],
            "ARRI LogC3 EI 800, ARRI Wide Gamut 3",
            logc3,
            AWG3,
            Cat02,
        ),
        space(
            "logc4",
            &["ARRI LogC4", "logc4-awg4"],
            "ARRI LogC4, ARRI Wide Gamut 4",
            logc4,
            AWG4,
            Cat02,
        ),
        space(
            "slog3",
            &["S-Log3 S-Gamut3", "slog3-sgamut3"],
            "Sony S-Log3, S-Gamut3",
            slog3,
            SGAMUT3,
            Cat02,
        ),
        space(
            "slog3-cine",
            &["S-Log3 S-Gamut3.Cine", "slog3-sgamut3cine"],
            "Sony S-Log3, S-Gamut3.Cine",
            slog3,
            SGAMUT3_CINE,
            Cat02,
        ),
        space(
            "vlog",
            &["V-Log V-Gamut", "vlog-vgamut"],
            "Panasonic V-Log, V-Gamut",
            vlog,
            VGAMUT,
            Bradford,
        ),
        space(
            "log3g10",
            &["Log3G10 REDWideGamutRGB", "log3g10-rwg", "red"],
            "RED Log3G10, REDWideGamutRGB",
            log3g10,
            RWG,
            Bradford,
        ),
        space(
            "clog2",
            &["CanonLog2 CinemaGamut D55", "canonlog2", "clog2-cgamut"],
            "Canon Log 2, Cinema Gamut",
            clog2,
            CINEMA_GAMUT,
            Cat02,
        ),
        space(
            "clog3",
            &["CanonLog3 CinemaGamut D55", "canonlog3", "clog3-cgamut"],
            "Canon Log 3, Cinema Gamut",
            clog3,
            CINEMA_GAMUT,
            Cat02,
        ),
        space(
            "bmdfilm5",
            &["BMDFilm WideGamut Gen5", "bmdfilm-gen5", "blackmagic"],
            "Blackmagic Film Gen 5, Blackmagic Wide Gamut Gen 5",
            bmdfilm5,
            BMD_WIDE_GAMUT_GEN5,
            Cat02,
        ),
        space(
            "davinci",
            &[
                "DaVinci Intermediate WideGamut",
                "davinci-intermediate",
                "dwg",
            ],
            "DaVinci Intermediate, DaVinci Wide Gamut",
            davinci,
            DAVINCI_WIDE_GAMUT,
            Cat02,
        ),
        space(
            "srgb",
            &["sRGB", "sRGB - Display"],
            "sRGB piecewise encoding, Rec.709 primaries",
            srgb,
            REC709,
            Bradford,
        ),
        space(
            "rec709",
            &["Rec.1886 Rec.709", "bt1886", "Rec.709"],
            "BT.1886 (2.4 power) encoding, Rec.709 primaries",
            bt1886,
            REC709,
            Bradford,
        ),
        space(
            "rec2020",
            &["Rec.1886 Rec.2020", "Rec.2020"],
            "BT.1886 (2.4 power) encoding, Rec.2020 primaries",
            bt1886,
            REC2020,
            Bradford,
        ),
        ColourSpace {
            from_linear: Some(pq_from_linear),
            ..space(
                "pq",
                &["Rec.2100-PQ", "st2084", "rec2100-pq"],
                "SMPTE ST 2084 (PQ), Rec.2020 primaries; linear 1.0 = 100 nits",
                pq_to_linear,
                REC2020,
                Bradford,
            )
        },
        ColourSpace {
            from_linear: Some(hlg_from_linear),
            ..space(
                "hlg",
                &["Rec.2100-HLG", "rec2100-hlg", "bt2100-hlg"],
                "ITU-R BT.2100 HLG OETF (scene linear, 18% grey at 0.42), Rec.2020 primaries",
                hlg_to_linear,
                REC2020,
                Bradford,
            )
        },
        space(
            "lin-rec709",
            &["Linear Rec.709 (sRGB)", "lin_srgb"],
            "Linear, Rec.709 primaries",
            none,
            REC709,
            Bradford,
        ),
        space(
            "lin-rec2020",
            &["Linear Rec.2020", "lin_rec2020"],
            "Linear, Rec.2020 primaries",
            none,
            REC2020,
            Bradford,
        ),
    ]
}

/// Finds a colour space by name or alias, case-insensitively. An unknown
/// name gives an error listing the nearest valid names.
pub fn find(name: &str) -> Result<ColourSpace> {
    let want = name.to_lowercase();
    let all = registry();
    for cs in &all {
        if cs.name == want || cs.aliases.iter().any(|a| a.to_lowercase() == want) {
            return Ok(cs.clone());
        }
    }
    let outputs = super::aces_output::output_transforms();
    let spellings = all
        .iter()
        .map(|cs| (cs.name, cs.aliases))
        .chain(outputs.iter().map(|t| (t.name, t.aliases)))
        .flat_map(|(name, aliases)| {
            std::iter::once((name, name)).chain(aliases.iter().map(move |a| (*a, name)))
        });
    let list = crate::names::nearest(name, spellings, 3);
    Err(Error::Usage(format!(
        "unknown colour space '{name}'; nearest: {} (see `grade transforms`)",
        list.join(", ")
    )))
}
