//! `fpgaopt sweep`: one float model at several precisions, each compared with the float model.
//!
//! The model is imported and canonicalized once and interpreted at the nn level: the float
//! reference (float32 in onnxruntime's order of operations). For every precision, a copy of that
//! module goes through `nn-to-qdf{precision=P config=C}` and is interpreted at the qdf level with
//! the exact interpreter, which computes what the emitted C++ computes bit for bit; so each row is
//! what C simulation of `fpgaopt compile --precision P` would produce, without building it with
//! g++. Per precision the report gives the max and mean absolute error against the float
//! reference, the argmax agreement with it and, with labels, the accuracy.
//!
//! The recommendation is the narrowest precision (fewest bits, then fewest integer bits) whose
//! accuracy is at least the reference's, or without labels whose argmax agrees on every sample.
//! (For a quantized model the reference is the model with its quantizers, and the precision only
//! types what no quantizer covers.)

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fpgaopt_ir::pass::{run_pipeline, PassContext, RunOptions as PipelineOptions};
use fpgaopt_ir::{DiagResult, Diagnostic, Location, Module};
use fpgaopt_qdf::FixedType;

use crate::npy::Batch;

/// What `fpgaopt sweep` was asked to do.
#[derive(Clone, Debug)]
pub struct SweepOptions {
    /// An ONNX model, or a `.mlir` file at the nn level.
    pub model: PathBuf,
    /// Precisions in the order given, e.g. `fixed<16,6>`, `fixed<10,4,RND,SAT>`.
    pub precisions: Vec<FixedType>,
    /// Input batch, float32 `(N, ...)`.
    pub input: PathBuf,
    /// Class ids, int64 or int32 `(N,)`.
    pub labels: Option<PathBuf>,
    /// Per-layer overrides (JSON), applied at every precision.
    pub config: Option<String>,
}

/// Quality of one precision, against the float reference.
#[derive(Clone, Debug)]
pub struct SweepRow {
    pub precision: FixedType,
    pub max_abs_err: f64,
    pub mean_abs_err: f64,
    /// Samples whose argmax equals the float model's.
    pub agree: usize,
    /// Samples classified correctly (with labels).
    pub correct: Option<usize>,
    /// Conversion plus interpretation.
    pub time: Duration,
}

/// The whole sweep.
#[derive(Clone, Debug)]
pub struct SweepReport {
    pub model: String,
    pub samples: usize,
    /// Samples the float reference classifies correctly (with labels).
    pub reference_correct: Option<usize>,
    pub rows: Vec<SweepRow>,
    pub time: Duration,
}

fn error(msg: String) -> Diagnostic {
    Diagnostic::error(Location::Unknown, msg)
}

/// Splits `fixed<16,6>,fixed<10,4,RND,SAT>` on the commas outside `<...>` and parses each type.
pub fn parse_precisions(text: &str) -> Result<Vec<FixedType>, String> {
    let mut items = vec![];
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&text[start..]);
    let types: Vec<FixedType> =
        items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).map(str::parse).collect::<Result<_, _>>()?;
    if types.is_empty() {
        return Err("no precision given (expected e.g. 'fixed<16,6>,fixed<8,3>')".into());
    }
    Ok(types)
}

/// Reads class ids: an int64 or int32 `.npy` of shape `(N,)` or `(N, 1)`.
pub fn read_labels(path: &Path) -> DiagResult<Vec<i64>> {
    let shown = path.display();
    let file = std::fs::File::open(path).map_err(|e| error(format!("cannot open {shown}: {e}")))?;
    let npy = npyz::NpyFile::new(std::io::BufReader::new(file))
        .map_err(|e| error(format!("{shown}: not a .npy file: {e}")))?;
    let shape = npy.shape().to_vec();
    if shape.is_empty() || shape.len() > 2 || (shape.len() == 2 && shape[1] != 1) {
        return Err(error(format!("{shown}: labels must have shape (N,) or (N, 1), found {shape:?}")));
    }
    let dtype = npy.dtype().descr();
    let bad = |e: std::io::Error| error(format!("{shown}: {e}"));
    match dtype.trim_matches('\'') {
        "<i8" => npy.into_vec::<i64>().map_err(bad),
        "<i4" => Ok(npy.into_vec::<i32>().map_err(bad)?.into_iter().map(i64::from).collect()),
        other => Err(error(format!("{shown}: labels must be int64 or int32 class ids, found dtype {other}"))),
    }
}

/// Runs a pipeline on a module in place.
fn run_passes(m: &mut Module, text: &str, model: &str) -> DiagResult<()> {
    let registry = crate::dialects();
    let pipeline = crate::registry().parse_pipeline(text)?;
    let mut ctx = PassContext { registry: &registry, input_path: model, remarks: vec![] };
    let run = PipelineOptions { verify_each: true, ..Default::default() };
    run_pipeline(m, &pipeline, &run, &mut ctx, &mut |_| {}).map_err(crate::driver::first)?;
    Ok(())
}

/// `nn-to-qdf{precision=P [config=C]}` as pipeline text.
fn nn_to_qdf_pipeline(precision: &FixedType, config: Option<&str>) -> String {
    let quote = |s: &str| if s.contains(' ') { format!("\"{s}\"") } else { s.to_string() };
    let mut opts = format!("precision={}", quote(&precision.to_string()));
    if let Some(c) = config {
        opts.push_str(&format!(" config={}", quote(c)));
    }
    format!("builtin.module(nn-to-qdf{{{opts}}})")
}

/// Argmax of every sample of a batch (first maximum, as numpy).
fn argmax(b: &Batch) -> Vec<usize> {
    let n = b.len();
    (0..n)
        .map(|i| {
            let s = b.sample(i);
            (0..s.len()).fold(0, |best, j| if s[j] > s[best] { j } else { best })
        })
        .collect()
}

/// Interprets the model at every precision and compares each with the float reference.
pub fn sweep(o: &SweepOptions) -> DiagResult<SweepReport> {
    let start = Instant::now();
    let model = o.model.to_string_lossy().into_owned();
    let input = crate::npy::read_batch(&o.input)?;
    let labels = o.labels.as_deref().map(read_labels).transpose()?;
    if let Some(l) = &labels {
        if l.len() != input.len() {
            return Err(error(format!("{} labels for {} input samples", l.len(), input.len())));
        }
    }
    // An `.mlir` file holds an nn-level module already (lit tests use that).
    let front = if model.ends_with(".onnx") { "import-onnx,nn-canonicalize" } else { "nn-canonicalize" };
    let nn = crate::driver::load(&o.model, Some(&format!("builtin.module({front})")))?;
    let reference = crate::interpret::run(&nn, &input, false)?.output;
    let ref_class = argmax(&reference);
    let correct = |classes: &[usize]| {
        labels.as_ref().map(|l| classes.iter().zip(l).filter(|(&c, &y)| i64::try_from(c) == Ok(y)).count())
    };
    // What `fpgaopt compile` quantizes: the model after layer fusion.
    let mut fused = nn.clone();
    run_passes(&mut fused, "builtin.module(nn-eqsat)", &model)?;
    let mut rows = vec![];
    for p in &o.precisions {
        let t = Instant::now();
        let mut m = fused.clone();
        let at_precision = |d: Diagnostic| d.with_note(Location::Unknown, format!("while sweeping precision {p}"));
        run_passes(&mut m, &nn_to_qdf_pipeline(p, o.config.as_deref()), &model).map_err(at_precision)?;
        let out = crate::interpret::run(&m, &input, false).map_err(at_precision)?.output;
        if out.shape != reference.shape {
            return Err(at_precision(error(format!("output shape {:?} differs from the float model's {:?}", out.shape, reference.shape))));
        }
        let diffs: Vec<f64> = out.data.iter().zip(&reference.data).map(|(&a, &b)| (f64::from(a) - f64::from(b)).abs()).collect();
        let classes = argmax(&out);
        rows.push(SweepRow {
            precision: *p,
            max_abs_err: diffs.iter().copied().fold(0.0, f64::max),
            mean_abs_err: if diffs.is_empty() { 0.0 } else { diffs.iter().sum::<f64>() / diffs.len() as f64 },
            agree: classes.iter().zip(&ref_class).filter(|(a, b)| a == b).count(),
            correct: correct(&classes),
            time: t.elapsed(),
        });
    }
    Ok(SweepReport { model, samples: input.len(), reference_correct: correct(&ref_class), rows, time: start.elapsed() })
}

/// `1.234e-02`, as numpy prints it.
fn sci(x: f64) -> String {
    let s = format!("{x:.3e}");
    match s.split_once('e') {
        Some((m, e)) => {
            let e: i32 = e.parse().unwrap_or(0);
            format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
        }
        None => s,
    }
}

impl SweepReport {
    /// The narrowest precision that keeps the float model's accuracy (or, without labels, agrees
    /// with its argmax on every sample).
    pub fn recommended(&self) -> Option<&SweepRow> {
        let keeps = |r: &&SweepRow| match (r.correct, self.reference_correct) {
            (Some(c), Some(rc)) => c >= rc,
            _ => r.agree == self.samples,
        };
        self.rows.iter().filter(keeps).min_by_key(|r| (r.precision.width, r.precision.int_bits))
    }

    fn ratio(&self, k: usize) -> f64 {
        if self.samples == 0 {
            1.0
        } else {
            k as f64 / self.samples as f64
        }
    }

    /// The table printed by `fpgaopt sweep`.
    pub fn table(&self) -> String {
        let n = self.samples;
        let pct = |k: usize| format!("{:.2}% ({k}/{n})", 100.0 * self.ratio(k));
        let mut lines = vec![[
            "precision".to_string(),
            "max abs err".into(),
            "mean abs err".into(),
            "argmax agreement".into(),
            "accuracy".into(),
        ]];
        lines.push([
            "reference".into(),
            "-".into(),
            "-".into(),
            "-".into(),
            self.reference_correct.map_or("-".into(), pct),
        ]);
        for r in &self.rows {
            lines.push([
                r.precision.to_string(),
                sci(r.max_abs_err),
                sci(r.mean_abs_err),
                pct(r.agree),
                r.correct.map_or("-".into(), pct),
            ]);
        }
        let widths: Vec<usize> = (0..5).map(|c| lines.iter().map(|l| l[c].len()).max().unwrap_or(0)).collect();
        let mut s = String::new();
        for (i, l) in lines.iter().enumerate() {
            let cells: Vec<String> =
                l.iter().zip(&widths).enumerate().map(|(c, (t, &w))| if c == 0 { format!("{t:<w$}") } else { format!("{t:>w$}") }).collect();
            s.push_str(cells.join("  ").trim_end());
            s.push('\n');
            if i == 0 {
                s.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1)));
                s.push('\n');
            }
        }
        let what =
            if self.reference_correct.is_some() { "keeps the reference accuracy" } else { "agrees with the reference argmax everywhere" };
        match self.recommended() {
            Some(r) => s.push_str(&format!("narrowest precision that {what}: {}\n", r.precision)),
            None => s.push_str(&format!("no precision {what}\n")),
        }
        s.push_str(&format!(
            "{} precisions x {n} samples in {:.3} s (qdf interpreter: bit-identical to C simulation, no g++ build)\n",
            self.rows.len(),
            self.time.as_secs_f64()
        ));
        s
    }

    /// The report as JSON (`fpgaopt sweep --json`).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        let rows: Vec<_> = self
            .rows
            .iter()
            .map(|r| {
                json!({
                    "precision": r.precision.to_string(),
                    "width": r.precision.width,
                    "int_bits": r.precision.int_bits,
                    "max_abs_err": r.max_abs_err,
                    "mean_abs_err": r.mean_abs_err,
                    "agreement": self.ratio(r.agree),
                    "agree": r.agree,
                    "accuracy": r.correct.map(|c| self.ratio(c)),
                    "correct": r.correct,
                    "seconds": r.time.as_secs_f64(),
                })
            })
            .collect();
        json!({
            "model": self.model,
            "samples": self.samples,
            "reference": {
                "name": "float (nn interpreter)",
                "accuracy": self.reference_correct.map(|c| self.ratio(c)),
                "correct": self.reference_correct,
            },
            "rows": rows,
            "recommended": self.recommended().map(|r| r.precision.to_string()),
            "seconds": self.time.as_secs_f64(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precisions_split_outside_angle_brackets() {
        let p = parse_precisions("fixed<16,6>, fixed<10,4,RND,SAT>,ufixed<8,0>").expect("valid list");
        let shown: Vec<String> = p.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["fixed<16,6>", "fixed<10,4,RND,SAT>", "ufixed<8,0>"]);
        assert!(parse_precisions("fixed<16,6>,fixed<8>").unwrap_err().contains("fixed<8>"));
        assert!(parse_precisions(" , ").unwrap_err().contains("no precision"));
    }

    #[test]
    fn pipeline_text_carries_modes_and_config() {
        let p: FixedType = "fixed<10,4,RND,SAT>".parse().expect("valid type");
        assert_eq!(nn_to_qdf_pipeline(&p, None), "builtin.module(nn-to-qdf{precision=fixed<10,4,RND,SAT>})");
        assert_eq!(
            nn_to_qdf_pipeline(&p, Some("my cfg.json")),
            "builtin.module(nn-to-qdf{precision=fixed<10,4,RND,SAT> config=\"my cfg.json\"})"
        );
    }

    #[test]
    fn recommends_the_narrowest_precision_keeping_accuracy() {
        let row = |s: &str, correct: usize| SweepRow {
            precision: s.parse().expect("valid type"),
            max_abs_err: 0.0,
            mean_abs_err: 0.0,
            agree: correct,
            correct: Some(correct),
            time: Duration::ZERO,
        };
        let mut r = SweepReport {
            model: "m.onnx".into(),
            samples: 10,
            reference_correct: Some(9),
            rows: vec![row("fixed<16,6>", 9), row("fixed<10,4>", 9), row("fixed<12,4>", 10), row("fixed<8,3>", 7)],
            time: Duration::ZERO,
        };
        assert_eq!(r.recommended().map(|r| r.precision.to_string()).as_deref(), Some("fixed<10,4>"));
        assert!(r.table().contains("narrowest precision that keeps the reference accuracy: fixed<10,4>"));
        r.reference_correct = None;
        r.rows.iter_mut().for_each(|x| x.correct = None);
        // Without labels, agreement on every sample decides (agree = 10 only at fixed<12,4>).
        assert_eq!(r.recommended().map(|r| r.precision.to_string()).as_deref(), Some("fixed<12,4>"));
        assert_eq!(r.to_json()["recommended"], "fixed<12,4>");
    }
}
