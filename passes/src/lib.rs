//! fpgaopt's passes: the ONNX importer, conversions between dialects, transforms, and the registry.
//!
//! Data flows one way: ONNX -> nn -> qdf -> hls. A conversion pass is the only place that knows two
//! dialects. Every pass is registered once in [`passes`], sorted by name.

use fpgaopt_ir::pass::{NamedPipeline, PassInfo, PassRegistry};
use fpgaopt_ir::Registry;

pub mod docs;
pub mod driver;
pub mod interpret;
pub mod cost;
pub mod npy;

// One module per pass (each owner adds its line, keep sorted).
pub mod csim;
pub mod emit;
pub mod eqsat;
pub mod import_onnx;
pub mod nn_canonicalize;
pub mod nn_to_qdf;
pub mod qdf_layout;
pub mod qdf_narrow;
pub mod qdf_to_hls;
pub mod sweep;

/// Every dialect fpgaopt defines, plus the upstream ops the core knows.
pub fn dialects() -> Registry {
    let mut r = Registry::new();
    r.register(&fpgaopt_nn::DIALECT);
    r.register(&fpgaopt_qdf::DIALECT);
    r.register(&fpgaopt_hls::DIALECT);
    r
}

/// Every pass, sorted by name.
pub fn passes() -> Vec<&'static PassInfo> {
    vec![
        &import_onnx::IMPORT_ONNX,
        &nn_canonicalize::NN_CANONICALIZE,
        &eqsat::NN_EQSAT,
        &nn_to_qdf::NN_TO_QDF,
        &qdf_layout::QDF_LAYOUT,
        &qdf_narrow::QDF_NARROW,
        &qdf_to_hls::QDF_TO_HLS,
    ]
}

/// The default flow from ONNX to the hls dialect.
pub static DEFAULT_PIPELINE: NamedPipeline = NamedPipeline {
    name: "onnx-to-hls",
    summary: "the whole flow: import, canonicalize, quantize to fixed point, absorb layout transposes, narrow to proven ranges, lower to HLS",
    pipeline: "builtin.module(import-onnx,nn-canonicalize,nn-eqsat,nn-to-qdf,qdf-layout,qdf-narrow,qdf-to-hls)",
};

/// The pass registry with named pipelines.
pub fn registry() -> PassRegistry {
    PassRegistry::new(passes(), vec![&DEFAULT_PIPELINE])
}
