//! Which executor grades the frames: the CPU fast path or the GPU.
//!
//! `auto` takes a real GPU; on a software adapter (llvmpipe/lavapipe) or
//! none it uses the CPU backend, which is faster than software Vulkan, and
//! says so in one line ([`Backend::note`]).

use crate::cpu;
use crate::grade::packed::PackedProgram;
use crate::grade::Program;
use crate::reformat::{Order, Plan};
use crate::{Error, Result};

use super::StageTimes;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BackendChoice {
    #[default]
    Auto,
    Cpu,
    Gpu,
}

enum Kind {
    Cpu(Vec<cpu::fast::Executor>),
    #[cfg(feature = "gpu")]
    Gpu(Box<GpuState>),
}

#[cfg(feature = "gpu")]
struct GpuState {
    ctx: crate::gpu::Context,
    exec: crate::gpu::Executor,
    programs: Vec<PackedProgram>,
    loaded: Option<usize>,
}

#[cfg(feature = "gpu")]
impl GpuState {
    /// Makes `program` the GPU's grade (no frame may be in flight).
    fn load(&mut self, program: usize) -> Result<()> {
        if self.loaded != Some(program) {
            let p = self
                .programs
                .get(program)
                .ok_or_else(|| Error::Internal(format!("no program {program} in this job")))?;
            self.exec.set_program(p)?;
            self.loaded = Some(program);
        }
        Ok(())
    }
}

/// A frame on the GPU, from [`Backend::submit`] to [`Backend::collect`].
#[must_use = "a submitted frame must be collected"]
pub struct InFlight {
    #[cfg(feature = "gpu")]
    ticket: crate::gpu::Ticket,
}

/// A ready backend holding every program of a job, packed once.
pub struct Backend {
    kind: Kind,
    note: Option<String>,
}

impl Backend {
    pub fn new(choice: BackendChoice, programs: &[Program]) -> Result<Backend> {
        let packed: Vec<PackedProgram> = programs.iter().map(Program::pack).collect();
        match choice {
            BackendChoice::Cpu => Backend::cpu(&packed, None),
            BackendChoice::Gpu => Backend::gpu(packed),
            BackendChoice::Auto => {
                #[cfg(feature = "gpu")]
                match crate::gpu::Context::new() {
                    Ok(ctx) if !ctx.is_software() => Backend::gpu_with(ctx, packed),
                    Ok(ctx) => {
                        let note = format!(
                            "using the CPU backend: the only GPU adapter is software ({})",
                            ctx.adapter_info().name
                        );
                        Backend::cpu(&packed, Some(note))
                    }
                    Err(_) => {
                        let note = "using the CPU backend: no GPU adapter found".to_string();
                        Backend::cpu(&packed, Some(note))
                    }
                }
                #[cfg(not(feature = "gpu"))]
                Backend::cpu(
                    &packed,
                    Some("using the CPU backend: built without GPU support".into()),
                )
            }
        }
    }

    fn cpu(packed: &[PackedProgram], note: Option<String>) -> Result<Backend> {
        Ok(Backend {
            kind: Kind::Cpu(
                packed
                    .iter()
                    .map(cpu::fast::Executor::new)
                    .collect::<Result<_>>()?,
            ),
            note,
        })
    }

    #[cfg(feature = "gpu")]
    fn gpu(packed: Vec<PackedProgram>) -> Result<Backend> {
        Backend::gpu_with(crate::gpu::Context::new()?, packed)
    }

    #[cfg(not(feature = "gpu"))]
    fn gpu(_packed: Vec<PackedProgram>) -> Result<Backend> {
        Err(Error::Gpu(
            "this grade was built without GPU support (feature `gpu`)".into(),
        ))
    }

    #[cfg(feature = "gpu")]
    fn gpu_with(ctx: crate::gpu::Context, programs: Vec<PackedProgram>) -> Result<Backend> {
        let empty = PackedProgram::default();
        let exec = crate::gpu::Executor::new(&ctx, programs.first().unwrap_or(&empty))?;
        Ok(Backend {
            kind: Kind::Gpu(Box::new(GpuState {
                ctx,
                exec,
                programs,
                loaded: Some(0),
            })),
            note: None,
        })
    }

    /// A one-line note for the user when `auto` fell back to the CPU.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    pub fn is_gpu(&self) -> bool {
        !matches!(self.kind, Kind::Cpu(_))
    }

    /// Whether frames of `floats` RGBA floats go through [`Backend::submit`]
    /// and [`Backend::collect`] (the GPU, for frames that fit one pass),
    /// rather than [`Backend::grade`].
    pub fn pipelines(&self, floats: usize) -> bool {
        match &self.kind {
            Kind::Cpu(_) => {
                let _ = floats;
                false
            }
            #[cfg(feature = "gpu")]
            Kind::Gpu(g) => g.exec.pipelines(floats),
        }
    }

    /// Whether a frame reformatted by `plan` goes through
    /// [`Backend::submit`] with a reformat: on the GPU, where the GPU resamples it
    /// in one pass (a separable plan whose frames fit the device's
    /// bindings). Elsewhere [`Backend::reformat_and_grade`] does it.
    pub fn pipelines_reformat(&self, plan: &Plan, order: Order) -> bool {
        match &self.kind {
            Kind::Cpu(_) => {
                let _ = (plan, order);
                false
            }
            #[cfg(feature = "gpu")]
            Kind::Gpu(g) => g.exec.pipelines_reformat(plan),
        }
    }

    /// How many frames may be submitted before one is collected.
    pub fn frames_in_flight(&self) -> usize {
        match &self.kind {
            Kind::Cpu(_) => 1,
            #[cfg(feature = "gpu")]
            Kind::Gpu(_) => crate::gpu::Executor::FRAMES_IN_FLIGHT,
        }
    }

    /// The program loaded on the GPU (a submitted frame of another program
    /// must wait until every frame in flight is collected).
    pub fn loaded_program(&self) -> Option<usize> {
        match &self.kind {
            Kind::Cpu(_) => None,
            #[cfg(feature = "gpu")]
            Kind::Gpu(g) => g.loaded,
        }
    }

    /// Hands `pixels` (a `width x height` frame) to the GPU with program
    /// `program` and returns at once; [`Backend::collect`] gives them back
    /// graded. With `reformat`, the frame is uploaded at its source size,
    /// reformatted by the plan before or after the grade as the order says,
    /// and collected at the output size. Only where [`Backend::pipelines`]
    /// (or, with a reformat, [`Backend::pipelines_reformat`]) says so. The
    /// copy into the GPU's staging memory counts as upload; without GPU
    /// timestamps the submission counts as kernel time (a driver may run
    /// the work inside it, as lavapipe does).
    pub fn submit(
        &mut self,
        program: usize,
        reformat: Option<(&std::sync::Arc<Plan>, Order)>,
        pixels: Vec<f32>,
        width: u32,
        height: u32,
        times: &mut StageTimes,
    ) -> Result<InFlight> {
        match &mut self.kind {
            Kind::Cpu(_) => {
                let _ = (program, reformat, pixels, width, height, times);
                Err(Error::Internal(
                    "the CPU backend grades frames in place".into(),
                ))
            }
            #[cfg(feature = "gpu")]
            Kind::Gpu(g) => {
                g.load(program)?;
                let (ticket, t) = match reformat {
                    None => g.exec.submit_timed(pixels, width, height)?,
                    Some((plan, order)) => g.exec.submit_reformat_timed(
                        pixels,
                        width,
                        height,
                        plan,
                        order == Order::AfterGrade,
                    )?,
                };
                times.upload += t.upload;
                // Without GPU timestamps the submission counts as kernel
                // time, with the wait in collect.
                if !g.exec.times_kernels() {
                    times.kernel += t.dispatch;
                }
                Ok(InFlight { ticket })
            }
        }
    }

    /// Reformats `src` (a `width x height` source layer) with `plan` and
    /// grades it with program `program`, in the order `order` says, into
    /// `dst` at the output size. On the GPU, where it can resample the
    /// frame, all of it runs there; elsewhere the CPU resamples (the same
    /// bits) and the backend grades. `src` may be graded in place.
    #[allow(clippy::too_many_arguments)]
    pub fn reformat_and_grade(
        &mut self,
        program: usize,
        plan: &std::sync::Arc<Plan>,
        order: Order,
        src: &mut [f32],
        width: u32,
        height: u32,
        dst: &mut Vec<f32>,
        times: &mut StageTimes,
    ) -> Result<()> {
        if self.pipelines_reformat(plan, order) {
            let frame = self.submit(
                program,
                Some((plan, order)),
                src.to_vec(),
                width,
                height,
                times,
            )?;
            *dst = self.collect(frame, times)?;
            return Ok(());
        }
        let (w, h) = plan.output_size();
        match order {
            Order::BeforeGrade => {
                plan.apply(src, dst);
                self.grade(program, dst, w, h, times)
            }
            Order::AfterGrade => {
                self.grade(program, src, width, height, times)?;
                plan.apply(src, dst);
                Ok(())
            }
        }
    }

    /// Waits for a frame from [`Backend::submit`] and returns its pixels.
    /// Kernel time is the compute pass as the GPU timed it where the device
    /// has timestamp queries; elsewhere it is the submission plus the wait
    /// here (copy in, kernel, copy out not hidden behind other work). The
    /// copy out of the mapped result counts as download.
    pub fn collect(&mut self, frame: InFlight, times: &mut StageTimes) -> Result<Vec<f32>> {
        match &mut self.kind {
            Kind::Cpu(_) => {
                let _ = (frame, times);
                Err(Error::Internal(
                    "nothing was submitted to the CPU backend".into(),
                ))
            }
            #[cfg(feature = "gpu")]
            Kind::Gpu(g) => {
                let (pixels, t) = g.exec.collect_timed(frame.ticket)?;
                times.kernel += t.kernel.unwrap_or(t.dispatch);
                times.download += t.readback;
                Ok(pixels)
            }
        }
    }

    /// "cpu (2 threads)" or "gpu: NAME (BACKEND)".
    pub fn describe(&self) -> String {
        match &self.kind {
            Kind::Cpu(_) => format!("cpu ({} threads)", rayon::current_num_threads()),
            #[cfg(feature = "gpu")]
            Kind::Gpu(g) => {
                let info = g.ctx.adapter_info();
                format!("gpu: {} ({})", info.name, info.backend)
            }
        }
    }

    /// Grades RGBA `pixels` (`width * height * 4`) with program `program`.
    pub fn grade(
        &mut self,
        program: usize,
        pixels: &mut [f32],
        width: u32,
        height: u32,
        times: &mut StageTimes,
    ) -> Result<()> {
        match &mut self.kind {
            Kind::Cpu(execs) => {
                let exec = execs
                    .get(program)
                    .ok_or_else(|| Error::Internal(format!("no program {program} in this job")))?;
                exec.apply_parallel(pixels);
                let _ = (width, height, times);
                Ok(())
            }
            #[cfg(feature = "gpu")]
            Kind::Gpu(g) => {
                g.load(program)?;
                let t = g.exec.apply(pixels, width, height)?;
                times.upload += t.upload;
                times.kernel += t.kernel.unwrap_or(t.dispatch);
                times.download += t.readback;
                Ok(())
            }
        }
    }
}
