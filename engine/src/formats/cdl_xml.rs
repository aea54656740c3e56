//! ASC CDL XML: `.cc` (one ColorCorrection), `.ccc` (ColorCorrectionCollection)
//! and `.cdl` (ColorDecisionList). Accepts SOPNode/ASC_SOP and
//! SatNode/SATNode/ASC_SAT, and Description elements at every level.

use std::path::Path;

use roxmltree::Node;

use super::xml;

use crate::ops::{Cdl, CdlStyle, Direction};
use crate::{Error, Problems, Result};

/// Every ColorCorrection in the file, in document order, with its id.
pub fn read_corrections(path: &Path) -> Result<Vec<Cdl>> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    parse(&bytes, path)
}

/// Picks one correction. With `select`, the correction with that id, else
/// (as OpenColorIO does) the one at that position counting from 0. Without
/// it, the file's only correction: a file holding several is refused, with
/// their ids, since applying the first of a collection to every frame is
/// rarely what was meant (OpenColorIO takes the first without a word).
pub fn select(path: &Path, all: Vec<Cdl>, select: Option<&str>) -> Result<Cdl> {
    let count = all.len();
    let position = |id: &str| {
        id.parse::<usize>()
            .ok()
            .filter(|&i| i < count && !all.iter().any(|c| c.id.as_deref() == Some(id)))
    };
    match select {
        Some(id) => {
            let at = all
                .iter()
                .position(|c| c.id.as_deref() == Some(id))
                .or_else(|| position(id));
            match at {
                Some(i) => Ok(all.into_iter().nth(i).expect("index found above")),
                None => Err(Error::invalid(
                    path,
                    format!("no ColorCorrection with id {id:?} ({})", id_list(&all)),
                )),
            }
        }
        None if count > 1 => Err(Error::invalid(
            path,
            format!(
                "holds {count} ColorCorrections; say which with FILE#ID ({})",
                id_list(&all)
            ),
        )),
        None => all
            .into_iter()
            .next()
            .ok_or_else(|| Error::invalid(path, "no ColorCorrection in this file")),
    }
}

/// "ids here: a, b (and 2 without an id: #3, #4 by position)": the ids of
/// the corrections, with no empty entries; corrections without an id (or
/// with an empty one) are named by their position, counted from 0.
fn id_list(all: &[Cdl]) -> String {
    let ids: Vec<&str> = all
        .iter()
        .filter_map(|c| c.id.as_deref())
        .filter(|id| !id.trim().is_empty())
        .collect();
    let unnamed: Vec<String> = all
        .iter()
        .enumerate()
        .filter(|(_, c)| c.id.as_deref().is_none_or(|id| id.trim().is_empty()))
        .map(|(i, _)| format!("#{i}"))
        .collect();
    let mut s = if ids.is_empty() {
        "no ids here".to_string()
    } else {
        format!("ids here: {}", ids.join(", "))
    };
    if !unnamed.is_empty() {
        s.push_str(&format!(
            "{}{} without an id: {} by position, counting from 0",
            if ids.is_empty() { "; " } else { "; and " },
            unnamed.len(),
            unnamed.join(", ")
        ));
    }
    s
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
    fn several_corrections_need_an_id_and_ids_are_listed_without_gaps() {
        let f = crate::testutil::fixture("public/ocio/tests/data/files/cdl_test1.ccc");
        let all = read_corrections(&f).unwrap();
        assert_eq!(all.len(), 5);
        let msg = select(&f, all.clone(), None).unwrap_err().to_string();
        assert!(
            msg.contains("holds 5 ColorCorrections; say which with FILE#ID (ids here: cc0001, cc0002, cc0003; and 2 without an id: #3, #4 by position, counting from 0)"),
            "{msg}"
        );
        let msg = select(&f, all.clone(), Some("cc9"))
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains(
                "no ColorCorrection with id \"cc9\" (ids here: cc0001, cc0002, cc0003; and 2"
            ),
            "{msg}"
        );
        assert!(!msg.contains(", ,") && !msg.contains(", )"), "{msg}");
        assert_eq!(select(&f, all.clone(), Some("cc0002")).unwrap(), all[1]);
        assert_eq!(select(&f, all.clone(), Some("1")).unwrap(), all[1]);
        assert_eq!(select(&f, all.clone(), Some("4")).unwrap(), all[4]);
        assert!(select(&f, all.clone(), Some("5")).is_err());
        let one = vec![all[2].clone()];
        assert_eq!(select(&f, one, None).unwrap(), all[2]);
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
