//! Open Job Description: a `jobtemplate-2023-09` template with the
//! `TASK_CHUNKING` extension.
//!
//! Step Render has a task parameter `Frame` of type `CHUNK[INT]` over the
//! job's frames (the job parameter `Frames`) in contiguous chunks; each task
//! runs the grade command with `--frames {{Task.Param.Frame}}
//! --skip-existing --progress openjd`. A job with deliverables adds
//! `--stage` (each task stages its review segment, QC part and hash list,
//! see [`super::stage`]) and has a second step, Finalize, one task that
//! depends on Render and so starts when every chunk has rendered: `grade
//! farm finalize` of the output over the job's frames. `openjd run job.yaml` runs it on one machine; AWS
//! Deadline Cloud accepts the same file.

use super::Job;

/// The template of `job` over the frames `range` (a frame set such as
/// `1001-1100`) in chunks of `chunk` frames.
pub fn template(job: &Job, range: &str, chunk: u32) -> String {
    // With deliverables, each task stages its parts for the Finalize step.
    let stage = if job.finalize.is_some() {
        " --stage"
    } else {
        ""
    };
    let render = job.task_script(
        &job.command,
        &format!("--frames \"{{{{Task.Param.Frame}}}}\" --skip-existing --progress openjd{stage}"),
    );
    let mut yaml = format!(
        "specificationVersion: 'jobtemplate-2023-09'
extensions:
  - TASK_CHUNKING
name: {name}
parameterDefinitions:
  - name: Frames
    type: STRING
    default: {range}
steps:
  - name: Render
    parameterSpace:
      taskParameterDefinitions:
        - name: Frame
          type: CHUNK[INT]
          range: \"{{{{Param.Frames}}}}\"
          chunks:
            defaultTaskCount: {chunk}
            rangeConstraint: CONTIGUOUS
{script}",
        name = yaml_str(&format!("grade {}", job.kind())),
        range = yaml_str(range),
        script = step_script(&render),
    );
    if let Some(finalize) = &job.finalize {
        yaml.push_str(&format!(
            "  - name: Finalize
    dependencies:
      - dependsOn: Render
{}",
            step_script(&job.task_script(finalize, ""))
        ));
    }
    yaml
}

/// A step's `script:` running `bash` on an embedded file holding `bash`.
fn step_script(bash: &str) -> String {
    let data: String = bash.lines().map(|l| format!("            {l}\n")).collect();
    format!(
        "    script:
      actions:
        onRun:
          command: bash
          args: [\"{{{{Task.File.Run}}}}\"]
      embeddedFiles:
        - name: Run
          type: TEXT
          data: |
{data}"
    )
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}
