//! ASC CDL XML: `.cc` (one ColorCorrection), `.ccc` (ColorCorrectionCollection)
//! and `.cdl` (ColorDecisionList). Accepts SOPNode/ASC_SOP and
//! SatNode/SATNode/ASC_SAT, and Description elements at every level.

use std::path::Path;

use roxmltree::Node;

use super::xml;

use crate::color::{Cdl, CdlStyle, Direction};
use crate::{Error, Problems, Result};

/// Every ColorCorrection in the file, in document order, with its id.
pub fn read_corrections(path: &Path) -> Result<Vec<Cdl>> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    parse(&bytes, path)
}

/// Picks the correction `select` (by id), or the first.
pub fn select(path: &Path, all: Vec<Cdl>, select: Option<&str>) -> Result<Cdl> {
    match select {
        Some(id) => {
            let ids: Vec<String> = all.iter().filter_map(|c| c.id.clone()).collect();
            all.into_iter()
                .find(|c| c.id.as_deref() == Some(id))
                .ok_or_else(|| {
                    Error::invalid(
                        path,
                        format!(
                            "no ColorCorrection with id {id:?} (ids here: {})",
                            ids.join(", ")
                        ),
                    )
                })
        }
        None => all
            .into_iter()
            .next()
            .ok_or_else(|| Error::invalid(path, "no ColorCorrection in this file")),
    }
}

pub fn parse(bytes: &[u8], path: &Path) -> Result<Vec<Cdl>> {
    let text = xml::utf8(bytes, path)?;
    let doc = xml::document(text, path)?;
    let mut p = Problems::new(path);
    let lines = xml::Lines::new(text);
    let line = |n: Node| lines.of(n);
    let root = doc.root_element();
    match root.tag_name().name() {
        "ColorCorrection" | "ColorCorrectionCollection" | "ColorDecisionList" => {}
        other => {
            p.at(
                line(root),
                format!("root element <{other}> is not an ASC CDL element"),
            );
            p.finish()?;
            return Ok(Vec::new());
        }
    }
    let mut out = Vec::new();
    for cc in root
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "ColorCorrection")
    {
        let mut cdl = Cdl {
            id: cc.attribute("id").map(str::to_string),
            style: CdlStyle::Asc,
            direction: Direction::Forward,
            ..Cdl::default()
        };
        let mut found_any = false;
        for child in cc.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "SOPNode" | "ASC_SOP" => {
                    found_any = true;
                    for field in child.children().filter(Node::is_element) {
                        let name = field.tag_name().name();
                        let target = match name {
                            "Slope" => &mut cdl.slope,
                            "Offset" => &mut cdl.offset,
                            "Power" => &mut cdl.power,
                            "Description" => continue,
                            other => {
                                p.at(
                                    line(field),
                                    format!(
                                        "unexpected <{other}> in <{}>",
                                        child.tag_name().name()
                                    ),
                                );
                                continue;
                            }
                        };
                        match xml::triple(field.text().unwrap_or("")) {
                            Ok(v) => *target = v,
                            Err(e) => p.at(line(field), format!("<{name}>: {e}")),
                        }
                    }
                }
                "SatNode" | "SATNode" | "ASC_SAT" => {
                    found_any = true;
                    for field in child.children().filter(Node::is_element) {
                        match field.tag_name().name() {
                            "Saturation" => {
                                match field.text().unwrap_or("").trim().parse::<f64>() {
                                    Ok(v) if v.is_finite() => cdl.saturation = v,
                                    _ => p.at(
                                        line(field),
                                        format!(
                                            "<Saturation>: {:?} is not a number",
                                            field.text().unwrap_or("")
                                        ),
                                    ),
                                }
                            }
                            "Description" => {}
                            other => p.at(
                                line(field),
                                format!("unexpected <{other}> in <{}>", child.tag_name().name()),
                            ),
                        }
                    }
                }
                "Description" | "InputDescription" | "ViewingDescription" => {}
                other => p.at(
                    line(child),
                    format!("unexpected <{other}> in <ColorCorrection>"),
                ),
            }
        }
        if !found_any {
            p.at(
                line(cc),
                "ColorCorrection has neither a SOPNode nor a SatNode",
            );
        }
        if let Err(e) = cdl.validate() {
            p.at(line(cc), e);
        }
        out.push(cdl);
    }
    if out.is_empty() {
        p.file("no ColorCorrection in this file");
    }
    p.finish_with(out)
}

/// One correction as a `.cc` document.
pub fn write_cc(cdl: &Cdl) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(&correction(cdl, "", " xmlns=\"urn:ASC:CDL:v1.2\""));
    s
}

/// Corrections as a `.ccc` document.
pub fn write_ccc(cdls: &[Cdl]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ColorCorrectionCollection xmlns=\"urn:ASC:CDL:v1.2\">\n",
    );
    for c in cdls {
        s.push_str(&correction(c, "  ", ""));
    }
    s.push_str("</ColorCorrectionCollection>\n");
    s
}

fn correction(c: &Cdl, ind: &str, ns: &str) -> String {
    let esc = |t: &str| {
        t.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
    };
    let id =
        c.id.as_deref()
            .map(|i| format!(" id=\"{}\"", esc(i)))
            .unwrap_or_default();
    let t = |v: &[f64; 3]| format!("{} {} {}", v[0], v[1], v[2]);
    format!(
        "{ind}<ColorCorrection{id}{ns}>\n{ind}  <SOPNode>\n{ind}    <Slope>{}</Slope>\n{ind}    <Offset>{}</Offset>\n{ind}    <Power>{}</Power>\n{ind}  </SOPNode>\n{ind}  <SatNode>\n{ind}    <Saturation>{}</Saturation>\n{ind}  </SatNode>\n{ind}</ColorCorrection>\n",
        t(&c.slope),
        t(&c.offset),
        t(&c.power),
        c.saturation
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::fixtures_with_ext;

    #[test]
    fn every_public_cdl_file_parses() {
        let files = fixtures_with_ext("public", &["cc", "ccc", "cdl"]);
        assert!(files.len() >= 6);
        for f in files {
            let all = read_corrections(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            assert!(!all.is_empty(), "{}", f.display());
        }
    }

    #[test]
    fn ccc_round_trips() {
        let a = Cdl {
            id: Some("shot_010".into()),
            slope: [1.1, 1.0, 0.9],
            offset: [0.01, 0.0, -0.02],
            power: [1.0, 1.05, 1.0],
            saturation: 0.8,
            ..Cdl::default()
        };
        let text = write_ccc(std::slice::from_ref(&a));
        let back = parse(text.as_bytes(), Path::new("t.ccc")).unwrap();
        assert_eq!(back, vec![a]);
    }

    #[test]
    fn bad_numbers_name_the_line() {
        let text = "<ColorCorrection id=\"x\">\n<SOPNode>\n<Slope>1 1</Slope>\n<Offset>0 0 zero</Offset>\n</SOPNode>\n</ColorCorrection>\n";
        let msg = parse(text.as_bytes(), Path::new("bad.cc"))
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("bad.cc:3:") && msg.contains("bad.cc:4:"),
            "{msg}"
        );
    }
}
