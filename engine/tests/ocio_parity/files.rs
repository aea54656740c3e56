//! One trial per LUT, CLF or CDL file: the file read by grade and by
//! OpenColorIO's FileTransform, compared both ways.

use super::*;

pub(crate) fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// ASC CDL XML, whatever the extension (grade knows it by its root element).
pub(crate) fn is_cdl_file(path: &Path) -> bool {
    matches!(
        grade_engine::formats::format_of(path),
        Ok(grade_engine::formats::Format::Cdl)
    )
}

/// OCIO's processor for a fixture. `ccc_id` picks a correction of a CDL
/// file, by id or position as both read it.
pub(crate) fn ocio_for_file(
    path: &Path,
    ccc_id: Option<&str>,
    interpolation: FileInterpolation,
) -> grade_engine::Result<Processor> {
    Processor::from_file(path, ccc_id, interpolation, Direction::Forward)
        .and_then(|p| p.with_optimization(Optimization::None))
}

/// The interpolation to ask of OCIO: the one grade found in the file for
/// its 3D LUTs (each format's own, `formats::Format`), since OCIO's
/// FileTransform imposes its own on every LUT of the file. `Err` when the
/// file's 3D LUTs differ, which one FileTransform cannot reproduce.
pub(crate) fn file_interpolation(ops: &[Op]) -> Result<FileInterpolation, String> {
    let mut found = None;
    for op in ops {
        if let Op::Lut3d(l) = op {
            if found.is_some_and(|f| f != l.interpolation) {
                return Err("3D LUTs of different interpolations in one file".into());
            }
            found = Some(l.interpolation);
        }
    }
    Ok(match found {
        Some(Interpolation::Trilinear) => FileInterpolation::Trilinear,
        _ => FileInterpolation::Best,
    })
}

pub(crate) fn file_trial(path: &Path) -> Result<Completion, Failed> {
    if is_cdl_file(path) {
        return cdl_file_trial(path);
    }
    let ops = match grade_engine::formats::load(path, None) {
        Ok(ops) => ops,
        Err(e @ Error::Unsupported { .. }) => {
            return Ok(Completion::ignored_with(format!("grade: {e}")))
        }
        Err(e) => {
            return match ocio_for_file(path, None, FileInterpolation::Best) {
                Err(o) => Ok(Completion::ignored_with(format!(
                    "OCIO 2.1 cannot load it: {o}"
                ))),
                Ok(_) => Err(format!("grade cannot load a file OCIO loads: {e}").into()),
            }
        }
    };
    let interpolation = match file_interpolation(&ops) {
        Ok(i) => i,
        Err(e) => return Ok(Completion::ignored_with(e)),
    };
    let ocio = match ocio_for_file(path, None, interpolation) {
        Ok(p) => p,
        Err(e) => {
            return Ok(Completion::ignored_with(format!(
                "OCIO 2.1 cannot load it: {e}"
            )))
        }
    };
    let program = Program { ops };
    check("file", &program, &ocio)?;
    if has_ext(path, "clf") || has_ext(path, "xml") {
        inverse_trial(path, &program, interpolation)?;
    }
    Ok(Completion::Completed)
}

/// Every correction of a CDL file, by position (grade refuses a file of
/// several without one; OCIO takes the first).
pub(crate) fn cdl_file_trial(path: &Path) -> Result<Completion, Failed> {
    let count = match grade_engine::formats::cdl_xml::read_corrections(path) {
        Ok(all) => all.len(),
        Err(e) => return Err(format!("grade cannot read it: {e}").into()),
    };
    for i in 0..count {
        let select = (count > 1).then(|| i.to_string());
        let label = select
            .as_deref()
            .map_or(String::new(), |s| format!(" #{s}"));
        let ocio = match ocio_for_file(path, select.as_deref(), FileInterpolation::Best) {
            Ok(p) => p,
            Err(e) => {
                return Ok(Completion::ignored_with(format!(
                    "OCIO 2.1 cannot load{label}: {e}"
                )))
            }
        };
        let program = Program {
            ops: grade_engine::formats::load(path, select.as_deref())
                .map_err(|e| format!("grade cannot load{label}, OCIO can: {e}"))?,
        };
        cdl_checks(&label, &program, &ocio)?;
    }
    Ok(Completion::Completed)
}

/// OCIO reads .cc/.ccc/.cdl as CDL_NO_CLAMP, where grade follows the ASC
/// v1.2 spec and clamps by default. The file's numbers are compared with
/// OCIO's reading in OCIO's style; grade's own style is then compared with
/// an OCIO CDLTransform of the same values in that style.
pub(crate) fn cdl_checks(label: &str, program: &Program, ocio: &Processor) -> Result<(), Failed> {
    let mut as_ocio_reads = program.clone();
    for op in &mut as_ocio_reads.ops {
        if let Op::Cdl(c) = op {
            c.style = CdlStyle::NoClamp;
        }
    }
    check(
        &format!("file{label}, as OCIO reads it (no clamp)"),
        &as_ocio_reads,
        ocio,
    )?;
    for op in &program.ops {
        if let Op::Cdl(c) = op {
            let single = Program {
                ops: vec![Op::Cdl(c.clone())],
            };
            let ocio = Processor::cdl(c)
                .and_then(|p| p.with_optimization(Optimization::None))
                .map_err(|e| format!("OCIO CDLTransform: {e}"))?;
            check(
                &format!("grade's {:?} style{label}", c.style),
                &single,
                &ocio,
            )?;
        }
    }
    Ok(())
}

/// A CLF applied inverted (`--lut FILE --invert`: ops in reverse order,
/// each inverted) against OCIO's inverse FileTransform, when every op of
/// the file has an inverse in grade (3D LUTs and half-domain 1D LUTs do not:
/// those files are checked forward only).
pub(crate) fn inverse_trial(
    path: &Path,
    program: &Program,
    interpolation: FileInterpolation,
) -> Result<(), Failed> {
    let mut ops = Vec::new();
    for op in program.ops.iter().rev() {
        match op.inverse() {
            Ok(inv) => ops.extend(inv),
            Err(Error::Unsupported { .. }) => return Ok(()),
            Err(e) => return Err(format!("inverting {}: {e}", op.name()).into()),
        }
    }
    let ocio = Processor::from_file(path, None, interpolation, Direction::Inverse)
        .and_then(|p| p.with_optimization(Optimization::None))
        .map_err(|e| format!("OCIO inverse: {e}"))?;
    let inverse = Program { ops };
    // A file's inverse LUTs are held to OpenColorIO 2.6 instead
    // (`grade::ocio_parity`, inside the forward LUT's output range, within
    // 1e-6): the linked OpenColorIO 2.1 inverts them differently (up to 0.34
    // apart inside that range on lut3d_17x17x17_10i_12i.clf).
    if program
        .ops
        .iter()
        .any(|op| matches!(op, Op::Lut1d(_) | Op::Lut3d(_)))
    {
        return Ok(());
    }
    check("file, inverted", &inverse, &ocio)
}
