#!/bin/sh
# Regenerates the shipped technical LUTs: camera log -> its linear ->
# ACES2065-1 -> Rec.709 primaries linear -> BT.1886 (2.4 power) inverse EOTF,
# then clamped to [0, 1] (a display-referred LUT: Rec.709 code values outside
# [0, 1] are not displayable, and some applications reject a .cube whose
# values leave it). The clamp is `--slope 1 1 1`, a neutral ASC CDL v1.2, which
# clamps to [0, 1] and changes nothing else.
# Run from the repository root after `cargo build -p grade`.
set -e
G=${GRADE:-target/debug/grade}
bake() {
    "$G" lut convert --from "$1" --to rec709 --slope 1 1 1 "luts/$2" --size 33 --title "$3"
    {
        echo "# Source: $4"
        echo "# $1 -> ACES2065-1 -> Rec.709 primaries -> BT.1886 inverse EOTF (2.4), built-in transforms of grade"
        echo "# Output clamped to [0, 1] (display-referred); input domain [0, 1] of $1 code values"
        cat "luts/$2"
    } > "luts/$2.tmp"
    mv "luts/$2.tmp" "luts/$2"
}
bake logc3 LogC3_to_Rec709.cube "ARRI LogC3 EI800 AWG3 to Rec.709" "ARRI, ALEXA Log C Curve - Usage in VFX (2017), EI 800; ARRI Wide Gamut 3"
bake logc4 LogC4_AWG4_to_Rec709.cube "ARRI LogC4 AWG4 to Rec.709" "ARRI, LogC4 Logarithmic Color Space Specification (2022); ARRI Wide Gamut 4"
bake slog3 SLog3_SGamut3_to_Rec709.cube "Sony S-Log3 S-Gamut3 to Rec.709" "Sony, Technical Summary for S-Gamut3.Cine/S-Log3 and S-Gamut3/S-Log3"
bake vlog VLog_VGamut_to_Rec709.cube "Panasonic V-Log V-Gamut to Rec.709" "Panasonic, V-Log/V-Gamut Reference Manual"
bake log3g10 Log3G10_RWG_to_Rec709.cube "RED Log3G10 REDWideGamutRGB to Rec.709" "RED, White Paper on REDWideGamutRGB and Log3G10"
bake clog3 CLog3_CinemaGamut_to_Rec709.cube "Canon Log 3 Cinema Gamut to Rec.709" "Canon, Canon Log Gamma Curves white paper (Canon Log 3, 0.9 ACES scale); Canon Cinema Gamut"
bake bmdfilm5 BMDFilm5_WideGamut5_to_Rec709.cube "Blackmagic Film Gen5 Wide Gamut Gen5 to Rec.709" "Blackmagic Design, Blackmagic Generation 5 Color Science technical note"
bake davinci DaVinciIntermediate_DWG_to_Rec709.cube "DaVinci Intermediate DWG to Rec.709" "Blackmagic Design, DaVinci Resolve 17 Wide Gamut Intermediate technical note"
