//! The headless wgpu context: one adapter, device and queue, and the
//! compute pipelines that run packed Programs, one per set of ops
//! (`gpu/kernels.rs`). Built once and shared by every
//! [`Executor`](super::Executor); a kernel depends on the kinds of op a
//! grade uses, never on its values, so changing a grade rebuilds nothing.
//!
//! Where the adapter has `SHADER_F64` the device is opened with it and the
//! kernel uses the exact maths (`ops/mathf_exact.wgsl`, the CPU's
//! `powf`/`log2f`/`exp2f` to the bit); elsewhere the WGSL built-ins
//! (`ops/mathf_builtin.wgsl`). [`AdapterInfo::exact_maths`] says which.
//!
//! Validation errors are turned into [`Error::Gpu`] values: shader and
//! pipeline creation run inside error scopes, and an uncaptured-error handler
//! records (rather than panics on, as wgpu's default does) anything that
//! escapes a scope, for the executor to report after each frame.

use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

use super::compose;
use super::kernels::Kernels;

/// The shader files (and the layout facts the build script read from them).
#[allow(dead_code)] // the layout facts are read by the tests
pub(crate) mod sources {
    include!(concat!(env!("OUT_DIR"), "/shader_sources.rs"));
}

/// What was installed, for the message when no adapter is found.
const NO_ADAPTER_HELP: &str = "no GPU adapter found: install a GPU driver with Vulkan \
support, or for software Vulkan (Mesa lavapipe) `apt install mesa-vulkan-drivers libvulkan1`; \
or run with the CPU backend";

/// The adapter in use, as a user would want it described.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdapterInfo {
    pub name: String,
    /// wgpu backend: "vulkan", "metal", "dx12", "gl".
    pub backend: String,
    /// "discrete", "integrated", "virtual", "cpu" or "other".
    pub device_type: String,
    pub driver: String,
    /// True when the kernel runs `powf`/`log2f`/`exp2f` in f64
    /// (`ops/mathf_exact.wgsl`), matching the CPU backend to the bit;
    /// false when the adapter has no f64 and the WGSL built-ins are used.
    pub exact_maths: bool,
}

impl std::fmt::Display for AdapterInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}, {}", self.name, self.backend, self.device_type)?;
        if !self.driver.is_empty() {
            write!(f, ", {}", self.driver)?;
        }
        if self.exact_maths {
            write!(f, ", exact maths")?;
        } else {
            write!(f, ", built-in maths: no f64")?;
        }
        write!(f, ")")
    }
}

/// Errors the device reported outside an error scope (and device loss).
#[derive(Debug, Clone, Default)]
pub(crate) struct ErrorLog(Arc<Mutex<Vec<String>>>);

impl ErrorLog {
    fn push(&self, message: String) {
        if let Ok(mut v) = self.0.lock() {
            v.push(message);
        }
    }

    /// `Err` with every recorded error since the last call, if any.
    pub(crate) fn take(&self) -> Result<()> {
        let errors = match self.0.lock() {
            Ok(mut v) => std::mem::take(&mut *v),
            Err(_) => return Err(Error::Gpu("GPU error log is poisoned".into())),
        };
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Gpu(errors.join("; ")))
        }
    }
}

/// Device, queue and the compiled kernels.
pub struct Context {
    pub(crate) device: wgpu::Device,
    pub(crate) queue: wgpu::Queue,
    pub(crate) kernels: Arc<Kernels>,
    pub(crate) layout: wgpu::BindGroupLayout,
    pub(crate) limits: wgpu::Limits,
    pub(crate) errors: ErrorLog,
    /// Timestamp queries are on: executors time their kernels on the GPU.
    pub(crate) timestamps: bool,
    info: wgpu::AdapterInfo,
    exact_maths: bool,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("adapter", &self.adapter_info())
            .finish_non_exhaustive()
    }
}

/// Ranking of adapters: a real GPU first, a software one last.
fn preference(info: &wgpu::AdapterInfo) -> u32 {
    let kind = match info.device_type {
        wgpu::DeviceType::DiscreteGpu => 0,
        wgpu::DeviceType::IntegratedGpu => 1,
        wgpu::DeviceType::VirtualGpu => 2,
        wgpu::DeviceType::Other => 3,
        wgpu::DeviceType::Cpu => 4,
    };
    // The GL backend lacks parts of compute on some drivers: prefer the others.
    let gl = u32::from(info.backend == wgpu::Backend::Gl);
    kind * 2 + gl
}

fn is_software_info(info: &wgpu::AdapterInfo) -> bool {
    let name = info.name.to_ascii_lowercase();
    info.device_type == wgpu::DeviceType::Cpu
        || ["llvmpipe", "lavapipe", "swiftshader", "warp"]
            .iter()
            .any(|s| name.contains(s))
}

impl Context {
    /// Opens the best adapter available: a real GPU (high performance) when
    /// there is one, else a software adapter such as Mesa's lavapipe.
    /// `WGPU_BACKEND` (e.g. `vulkan`) restricts the backends searched.
    /// The kernel uses the exact (f64) maths when the adapter has
    /// `SHADER_F64`, else the WGSL built-ins.
    /// `GRADE_GPU_MATHS=builtin` asks for the built-ins anyway (faster where
    /// f64 is slow, at up to one 16-bit code from the CPU backend).
    pub fn new() -> Result<Context> {
        let builtin = std::env::var("GRADE_GPU_MATHS").is_ok_and(|v| v == "builtin");
        pollster::block_on(Self::new_async(!builtin))
    }

    /// As [`Context::new`], with the built-in maths even where f64 exists
    /// (to test the fallback variant on any adapter).
    #[doc(hidden)]
    pub fn with_builtin_maths() -> Result<Context> {
        pollster::block_on(Self::new_async(false))
    }

    /// Builds a pipeline from `(file name, text)` pairs as the kernel is
    /// built (for the tests of shader errors as values, naming file and
    /// line); the device's error log is left clean.
    #[doc(hidden)]
    pub fn build_module_for_test(&self, files: &[(&str, &str)]) -> Result<()> {
        let composed = compose::compose(files.iter().copied());
        let built = pollster::block_on(build_pipeline(&self.device, &self.layout, &composed));
        self.errors.take()?;
        built.map(|_| ())
    }

    async fn new_async(allow_exact: bool) -> Result<Context> {
        let mut desc = wgpu::InstanceDescriptor::new_without_display_handle();
        desc.backends = wgpu::Backends::all().with_env();
        let instance = wgpu::Instance::new(desc);

        let mut adapters = instance.enumerate_adapters(desc_backends()).await;
        adapters.sort_by_key(|a| preference(&a.get_info()));
        let adapter = match adapters.into_iter().next() {
            Some(a) => a,
            None => instance
                .request_adapter(&wgpu::RequestAdapterOptions {
                    power_preference: wgpu::PowerPreference::HighPerformance,
                    force_fallback_adapter: false,
                    compatible_surface: None,
                    ..Default::default()
                })
                .await
                .map_err(|e| Error::Gpu(format!("{NO_ADAPTER_HELP} ({e})")))?,
        };
        let info = adapter.get_info();
        let supported = adapter.limits();
        let exact_maths = allow_exact && adapter.features().contains(wgpu::Features::SHADER_F64);
        let required_features = if exact_maths {
            wgpu::Features::SHADER_F64
        } else {
            wgpu::Features::empty()
        };

        // Ask for the adapter's own buffer limits: frames are large.
        let mut limits = wgpu::Limits::downlevel_defaults();
        limits.max_storage_buffer_binding_size = supported.max_storage_buffer_binding_size;
        limits.max_buffer_size = supported.max_buffer_size;
        limits.max_compute_workgroups_per_dimension =
            supported.max_compute_workgroups_per_dimension;
        limits.min_storage_buffer_offset_alignment = supported.min_storage_buffer_offset_alignment;
        // Timestamp queries, where the adapter has them, time each kernel
        // on the GPU for --stats and the benchmarks.
        let timestamps = adapter.features() & wgpu::Features::TIMESTAMP_QUERY;
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("grade"),
                required_features: required_features | timestamps,
                required_limits: limits.clone(),
                ..Default::default()
            })
            .await
            .map_err(|e| Error::Gpu(format!("cannot open a device on {}: {e}", info.name)))?;

        let errors = ErrorLog::default();
        let log = errors.clone();
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| log.push(e.to_string())));
        let log = errors.clone();
        device.set_device_lost_callback(move |reason, message| {
            log.push(format!("device lost ({reason:?}): {message}"))
        });

        // The shader sees errors through its own scope; the log starts clean.
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("grade program"),
            entries: &[
                storage_entry(0, false),
                storage_entry(1, true),
                storage_entry(2, true),
            ],
        });
        let kernels = Kernels::new(
            device.clone(),
            layout.clone(),
            exact_maths,
            info.name.clone(),
        );
        // The kernel of the empty program proves the device builds one.
        kernels.for_ops(compose::OpSet::default())?;
        errors.take()?;

        Ok(Context {
            device,
            queue,
            kernels: Arc::new(kernels),
            layout,
            limits,
            errors,
            timestamps: timestamps.contains(wgpu::Features::TIMESTAMP_QUERY),
            info,
            exact_maths,
        })
    }

    pub fn adapter_info(&self) -> AdapterInfo {
        let device_type = match self.info.device_type {
            wgpu::DeviceType::DiscreteGpu => "discrete",
            wgpu::DeviceType::IntegratedGpu => "integrated",
            wgpu::DeviceType::VirtualGpu => "virtual",
            wgpu::DeviceType::Cpu => "cpu",
            wgpu::DeviceType::Other => "other",
        };
        AdapterInfo {
            name: self.info.name.clone(),
            backend: self.info.backend.to_str().to_string(),
            device_type: device_type.to_string(),
            driver: self.info.driver.clone(),
            exact_maths: self.exact_maths,
        }
    }

    /// True for a CPU-emulated adapter (llvmpipe/lavapipe, SwiftShader,
    /// WARP): correct, but slower than the CPU backend.
    pub fn is_software(&self) -> bool {
        is_software_info(&self.info)
    }
}

/// `(name, text)` of one of the shader files.
pub(crate) fn source(name: &str) -> (&'static str, &'static str) {
    sources::SHADER_SOURCES
        .iter()
        .find(|(n, _)| *n == name)
        .copied()
        .unwrap_or(("", ""))
}

/// One shader compile at a time in the process: Mesa's lavapipe corrupts
/// its heap when two threads compile pipelines at once (seen with LLVM 15,
/// Debian 12). Kernels are built a few times per run, so nothing waits long.
static COMPILING: Mutex<()> = Mutex::new(());

/// Held while creating a shader module and its pipelines ([`COMPILING`]).
pub(crate) fn one_compile_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    // A poisoned lock only means another compile panicked; the guard holds
    // no data.
    COMPILING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Compiles the composed module into the compute pipeline, with validation
/// errors (positions mapped back to `engine/src/ops/FILE:LINE`) as an error value.
pub(crate) async fn build_pipeline(
    device: &wgpu::Device,
    layout: &wgpu::BindGroupLayout,
    composed: &compose::Composed,
) -> Result<wgpu::ComputePipeline> {
    let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
    let pipeline = {
        let _one_at_a_time = one_compile_at_a_time();
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("grade program"),
            source: wgpu::ShaderSource::Wgsl(composed.source.as_str().into()),
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("grade program"),
            bind_group_layouts: &[Some(layout)],
            immediate_size: 0,
        });
        device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some("grade program"),
            layout: Some(&pipeline_layout),
            module: &module,
            entry_point: Some("main"),
            compilation_options: Default::default(),
            cache: None,
        })
    };
    match scope.pop().await {
        Some(e) => Err(Error::Gpu(format!(
            "the grade shader failed to build: {}",
            composed.relocate_message(&e.to_string())
        ))),
        None => Ok(pipeline),
    }
}

fn desc_backends() -> wgpu::Backends {
    wgpu::Backends::all().with_env()
}

pub(crate) fn storage_entry(binding: u32, read_only: bool) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Storage { read_only },
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}
