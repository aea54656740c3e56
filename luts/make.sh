#!/bin/sh
# Regenerates the shipped technical LUTs: camera log -> its linear ->
# ACES2065-1 -> Rec.709 primaries linear -> BT.1886 (2.4 power) inverse EOTF.
# Run from the repository root after `cargo build -p grade`.
set -e
G=${GRADE:-target/debug/grade}
bake() {
    "$G" lut convert --from "$1" --to rec709 "luts/$2" --size 33 --title "$3"
    { echo "# Source: $4"; echo "# $1 -> ACES2065-1 -> Rec.709 primaries -> BT.1886 inverse EOTF (2.4), built-in transforms of grade"; cat "luts/$2"; } > "luts/$2.tmp"
    mv "luts/$2.tmp" "luts/$2"
}
bake logc3 LogC3_to_Rec709.cube "ARRI LogC3 EI800 AWG3 to Rec.709" "ARRI, ALEXA Log C Curve - Usage in VFX (2017), EI 800"
bake slog3 SLog3_SGamut3_to_Rec709.cube "Sony S-Log3 S-Gamut3 to Rec.709" "Sony, Technical Summary for S-Gamut3.Cine/S-Log3 and S-Gamut3/S-Log3"
bake vlog VLog_VGamut_to_Rec709.cube "Panasonic V-Log V-Gamut to Rec.709" "Panasonic, V-Log/V-Gamut Reference Manual"
bake log3g10 Log3G10_RWG_to_Rec709.cube "RED Log3G10 REDWideGamutRGB to Rec.709" "RED, White Paper on REDWideGamutRGB and Log3G10"
