//! The ACES 1.3 studio config that OpenColorIO ships
//! (`studio-config-v1.0.0_aces-v1.3_ocio-v2.1`, written to a file by
//! PyPI OpenColorIO 2.6 so that the linked OpenColorIO 2.1 reads it)
//! translated into grade ops and run by grade's reference executor, against
//! OpenColorIO 2.6's CPU processor at `OPTIMIZATION_NONE` on the same file:
//! every display/view (from ACEScg, forward and inverted), every display's
//! ACES 1.0 SDR view from camera logs, the config's look (the ACES 1.3 reference
//! gamut compression, forward and inverted) and every colour space to and
//! from ACES2065-1, each a trial. Nothing may be baked: the ACES output
//! transforms are grade's own ops (`ops::aces`, `ops::rgb_curve`).
//!
//! Inputs: [`dense_inputs`] (so log and display code values 0..1 and a
//! margin), and for a scene-linear source grey, primary and secondary
//! ramps from 2^-14 to 65504. Tolerance 1e-5, absolute up to 1 and
//! relative above, as `grade::ocio_parity`. OpenColorIO 2.6 runs once for
//! every trial (one Python process) before the trials start. Every trial
//! also runs optimised on the GPU (lavapipe here), which must give the fast
//! CPU executor's bits.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use grade_engine::grade::dense::dense_inputs;
use grade_engine::grade::Program;
use grade_engine::ocio::config::{ConfigStep, ConfigTransform};
use grade_engine::testutil::reference_python;
use libtest_mimic::{Arguments, Completion, Failed, Trial};

const TOL: f32 = 1e-5;
const STUDIO: &str = "ocio://studio-config-v1.0.0_aces-v1.3_ocio-v2.1";

/// Writes the studio config to argv[1], then for each job line on stdin
/// (`display|spaces|look <TAB> a <TAB> b <TAB> c <TAB> inverse <TAB> inputs`)
/// applies OpenColorIO's processor to the float32 RGBA file `inputs` and
/// appends the result to argv[2]. With argv[3] = `names`, prints the
/// config's displays, views and colour spaces instead of running jobs.
const SCRIPT: &str = r#"
import sys, numpy as np, PyOpenColorIO as O
path, out = sys.argv[1], sys.argv[2]
studio = O.Config.CreateFromFile(sys.argv[3])
with open(path, 'w') as f:
    f.write(studio.serialize())
cfg = O.Config.CreateFromFile(path)
if sys.argv[4] == 'names':
    for cs in cfg.getColorSpaces():
        print('cs\t' + cs.getName() + '\t' + cs.getEncoding())
    for d in cfg.getDisplays():
        for v in cfg.getViews(d):
            print('view\t' + d + '\t' + v)
    for l in cfg.getLooks():
        print('look\t' + l.getName() + '\t' + l.getProcessSpace())
    sys.exit(0)
cache = {}
with open(out, 'wb') as o:
    for line in sys.stdin.read().splitlines():
        kind, a, b, c, inv, inputs = line.split('\t')
        d = O.TRANSFORM_DIR_INVERSE if inv == '1' else O.TRANSFORM_DIR_FORWARD
        if kind == 'display':
            p = cfg.getProcessor(a, b, c, d)
        elif kind == 'look':
            p = cfg.getProcessor(O.LookTransform(src=b, dst=b, looks=a, direction=d))
        else:
            p = cfg.getProcessor(a, b) if inv == '0' else cfg.getProcessor(b, a)
        p = p.getOptimizedCPUProcessor(O.OPTIMIZATION_NONE)
        if inputs not in cache:
            cache[inputs] = np.fromfile(inputs, dtype=np.float32)
        px = cache[inputs].copy()
        p.applyRGBA(px)
        o.write(px.astype(np.float32).tobytes())
"#;

fn run_python(py: &Path, args: &[&str], stdin: &str) -> Result<String, String> {
    let mut child = Command::new(py)
        .arg("-c")
        .arg(SCRIPT)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: {e}", py.display()))?;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The dense set, and for a scene-linear source ramps up to 65504.
fn inputs(scene_linear: bool) -> Vec<f32> {
    let mut px: Vec<[f32; 4]> = dense_inputs();
    if scene_linear {
        const STEPS: usize = 256;
        for k in 0..STEPS {
            let v =
                (-14.0 + (65504f64.log2() + 14.0) * k as f64 / (STEPS - 1) as f64).exp2() as f32;
            let v = v.min(65504.0);
            for p in [
                [v, v, v],
                [v, 0.0, 0.0],
                [0.0, v, 0.0],
                [0.0, 0.0, v],
                [v, v, 0.0],
                [0.0, v, v],
                [v, 0.0, v],
                [v, 0.4 * v, 0.1 * v],
                [0.05 * v, 0.2 * v, v],
            ] {
                px.push([p[0], p[1], p[2], 1.0]);
            }
        }
    }
    px.into_iter().flatten().collect()
}

struct Job {
    name: String,
    step: ConfigStep,
    line: String,
    scene_linear: bool,
}

fn jobs(names: &str, dir: &Path) -> Vec<Job> {
    let mut spaces = Vec::new();
    let mut views = Vec::new();
    let mut looks = Vec::new();
    for line in names.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f.as_slice() {
            ["cs", name, encoding] => spaces.push((name.to_string(), *encoding == "scene-linear")),
            ["view", d, v] => views.push((d.to_string(), v.to_string())),
            ["look", l, ps] => looks.push((l.to_string(), ps.to_string())),
            _ => {}
        }
    }
    let file = |lin: bool| {
        dir.join(if lin { "linear.f32" } else { "unit.f32" })
            .display()
            .to_string()
    };
    let mut out = Vec::new();
    let mut display = |from: &str, lin: bool, d: &str, v: &str, invert: bool| {
        let suffix = if invert { "::inverse" } else { "" };
        out.push(Job {
            name: format!("display::{from}::{d}/{v}{suffix}"),
            step: ConfigStep {
                transform: ConfigTransform::Display {
                    display: d.into(),
                    view: v.into(),
                    from: Some(from.into()),
                },
                invert,
            },
            line: format!(
                "display\t{from}\t{d}\t{v}\t{}\t{}",
                u8::from(invert),
                file(lin && !invert)
            ),
            scene_linear: lin && !invert,
        });
    };
    for (d, v) in &views {
        display("ACEScg", true, d, v, false);
        display("ACEScg", true, d, v, true);
        if v.starts_with("ACES 1.0 - SDR") {
            for from in ["ARRI LogC3 (EI800)", "ACEScct", "S-Log3 S-Gamut3.Cine"] {
                display(from, false, d, v, false);
            }
        }
    }
    for (look, space) in &looks {
        for invert in [false, true] {
            let suffix = if invert { "::inverse" } else { "" };
            out.push(Job {
                name: format!("look::{look}{suffix}"),
                step: ConfigStep {
                    transform: ConfigTransform::Look {
                        looks: look.clone(),
                        spaces: None,
                    },
                    invert,
                },
                line: format!(
                    "look\t{look}\t{space}\t-\t{}\t{}",
                    u8::from(invert),
                    file(true)
                ),
                scene_linear: true,
            });
        }
    }
    for (name, lin) in &spaces {
        if name == "ACES2065-1" {
            continue;
        }
        for invert in [false, true] {
            let (a, b) = if invert {
                ("ACES2065-1", name.as_str())
            } else {
                (name.as_str(), "ACES2065-1")
            };
            out.push(Job {
                name: format!("colorspace::{a}->{b}"),
                step: ConfigStep {
                    transform: ConfigTransform::ColorSpaces {
                        from: name.clone(),
                        to: "ACES2065-1".into(),
                    },
                    invert,
                },
                // ACES2065-1 is scene-linear too.
                line: format!(
                    "spaces\t{name}\tACES2065-1\t-\t{}\t{}",
                    u8::from(invert),
                    file(*lin || invert)
                ),
                scene_linear: *lin || invert,
            });
        }
    }
    out
}

/// The shared GPU context: `None` without an adapter (an error under
/// CI=true).
#[cfg(feature = "gpu")]
fn gpu() -> Result<Option<&'static grade_engine::gpu::Context>, Failed> {
    static CTX: std::sync::OnceLock<Result<grade_engine::gpu::Context, String>> =
        std::sync::OnceLock::new();
    match CTX.get_or_init(|| grade_engine::gpu::Context::new().map_err(|e| e.to_string())) {
        Ok(c) => Ok(Some(c)),
        Err(e) if grade_engine::testutil::in_ci() => {
            Err(format!("{e}; under CI=true a missing GPU adapter is a failure, not a skip").into())
        }
        Err(_) => Ok(None),
    }
}

/// The optimised program on the GPU gives the fast CPU executor's bits
/// (with the exact maths; the built-ins are `engine/tests/gpu/`
/// concern).
#[cfg(feature = "gpu")]
fn gpu_bits(ops: &[grade_engine::grade::Op], input: &[f32]) -> Result<(), Failed> {
    let Some(ctx) = gpu()? else {
        return Ok(());
    };
    if !ctx.adapter_info().exact_maths {
        return Ok(());
    }
    let packed = Program { ops: ops.to_vec() }.optimise().pack();
    let mut fast = input.to_vec();
    grade_engine::cpu::fast::Executor::new(&packed)
        .map_err(|e| e.to_string())?
        .apply(&mut fast);
    let mut out = input.to_vec();
    grade_engine::gpu::Executor::new(ctx, &packed)
        .map_err(|e| e.to_string())?
        .apply(&mut out, (input.len() / 4) as u32, 1)
        .map_err(|e| e.to_string())?;
    let differ = out
        .iter()
        .zip(&fast)
        .filter(|(g, f)| g.to_bits() != f.to_bits() && !(g.is_nan() && f.is_nan()))
        .count();
    if differ > 0 {
        return Err(
            format!("the GPU differs from the fast executor in {differ} samples' bits").into(),
        );
    }
    Ok(())
}

#[cfg(not(feature = "gpu"))]
fn gpu_bits(_: &[grade_engine::grade::Op], _: &[f32]) -> Result<(), Failed> {
    Ok(())
}

fn trial(job: &Job, config: &Path, input: &[f32], want: &[f32]) -> Result<(), Failed> {
    let t = job
        .step
        .translate(Some(config))
        .map_err(|e| format!("translate: {e}"))?;
    if !t.bakes.is_empty() {
        return Err(format!("baked: {}", t.notes.join("; ")).into());
    }
    let mut got = input.to_vec();
    grade_engine::cpu::reference::apply(&Program { ops: t.ops.clone() }, &mut got);
    // GRADE_PROBE=r,g,b prints that pixel after each op, to find where a
    // trial first parts from OpenColorIO.
    if let Ok(probe) = std::env::var("GRADE_PROBE") {
        let v: Vec<f32> = probe.split(',').filter_map(|x| x.parse().ok()).collect();
        let mut px = vec![
            v.first().copied().unwrap_or(0.0),
            v.get(1).copied().unwrap_or(0.0),
            v.get(2).copied().unwrap_or(0.0),
            1.0,
        ];
        for op in &t.ops {
            grade_engine::cpu::reference::apply(
                &Program {
                    ops: vec![op.clone()],
                },
                &mut px,
            );
            println!(
                "{:?}\n   -> {:?}",
                format!("{op:?}").chars().take(300).collect::<String>(),
                px
            );
        }
    }
    let mut worst = (0.0f32, 0usize);
    for (i, (a, b)) in want.iter().zip(&got).enumerate() {
        if i % 4 == 3 || (a.is_nan() && b.is_nan()) || a == b {
            continue;
        }
        let d = (a - b).abs() / a.abs().max(1.0);
        let d = if d.is_nan() { f32::INFINITY } else { d };
        if d > worst.0 {
            worst = (d, i);
        }
    }
    if std::env::var_os("GRADE_PARITY_REPORT").is_some() {
        println!(
            "  {} ({} ops): worst {:.3e}",
            job.name,
            t.ops.len(),
            worst.0
        );
    }
    gpu_bits(&t.ops, input)?;
    if worst.0 > TOL {
        let i = worst.1 / 4 * 4;
        return Err(format!(
            "worst |grade - OpenColorIO 2.6| / max(1, |v|) = {:.3e}: input {:?} grade {:?} OpenColorIO {:?}",
            worst.0,
            &input[i..i + 3],
            &got[i..i + 3],
            &want[i..i + 3]
        )
        .into());
    }
    Ok(())
}

fn setup() -> Result<Vec<Trial>, String> {
    let Some(py) = reference_python() else {
        return Err("no reference Python (GRADE_PYTHON)".into());
    };
    let dir = std::env::temp_dir().join(format!("grade-aces-studio-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let config: PathBuf = dir.join("studio.ocio");
    let out = dir.join("ocio.f32");
    let (cfg, outs) = (config.display().to_string(), out.display().to_string());
    let names = run_python(&py, &[&cfg, &outs, STUDIO, "names"], "")?;
    let lin = inputs(true);
    let unit = inputs(false);
    for (file, data) in [("linear.f32", &lin), ("unit.f32", &unit)] {
        let bytes: Vec<u8> = data.iter().flat_map(|v| v.to_le_bytes()).collect();
        std::fs::write(dir.join(file), bytes).map_err(|e| e.to_string())?;
    }
    let jobs = jobs(&names, &dir);
    let lines: Vec<&str> = jobs.iter().map(|j| j.line.as_str()).collect();
    run_python(&py, &[&cfg, &outs, STUDIO, "run"], &lines.join("\n"))?;
    let bytes = std::fs::read(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let all: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let mut at = 0;
    let mut trials = Vec::new();
    for job in jobs {
        let input = if job.scene_linear {
            lin.clone()
        } else {
            unit.clone()
        };
        let want = all
            .get(at..at + input.len())
            .ok_or("OpenColorIO gave fewer outputs than jobs")?
            .to_vec();
        at += input.len();
        let config = config.clone();
        let name = job.name.clone();
        trials.push(Trial::ignorable_test(name, move || {
            trial(&job, &config, &input, &want).map(|()| Completion::Completed)
        }));
    }
    Ok(trials)
}

fn main() {
    let args = Arguments::from_args();
    // reference_python() already fails under CI=true when Python is absent;
    // elsewhere the missing reference is reported as an ignored trial.
    let trials = match setup() {
        Ok(t) => t,
        Err(e) => vec![Trial::ignorable_test("aces_studio_config", move || {
            if grade_engine::testutil::in_ci() {
                Err(Failed::from(e.clone()))
            } else {
                Ok(Completion::ignored_with(e.clone()))
            }
        })],
    };
    libtest_mimic::run(&args, trials).exit();
}
