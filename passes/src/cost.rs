//! The FPGA cost model that `nn-eqsat` extracts by: an area estimate in LUT-equivalents.
//!
//! Per op: multipliers (count x [`mul_area`] of the operand width), adders, comparators, weight
//! memory (bits x [`MEM_BIT`]) and, for every op that computes, one dataflow stage: control plus an
//! output buffer ([`STAGE`] + output bits x [`MEM_BIT`]). Layers are costed fully parallel (one
//! multiplier per product); later work can refine this with reuse factors and real precisions, but
//! the order it gives the forms `nn-eqsat` compares is what matters: folding a scale saves
//! multipliers, fusing an activation saves a stage, a folded constant costs only its memory.
//!
//! A dense layer also buffers its input row (input bits x [`MEM_BIT`]: the stream is read `N`
//! times), so two layers reading one input pay the stage and the buffer twice; `nn.slice` and
//! `nn.concat` cost nothing (wiring of a fully parallel array). One dense with the two weight
//! matrices side by side, sliced back (`merge-parallel-dense2`), has the same multipliers and
//! weight memory as the two layers and one stage and one input buffer fewer, so it is cheaper.

use fpgaopt_ir::{Attribute, Type};

/// Area of one memory bit (BRAM bits are ~64x denser than LUT logic).
pub const MEM_BIT: f64 = 1.0 / 64.0;
/// Control overhead of one dataflow stage.
pub const STAGE: f64 = 50.0;
/// Table entries of a sigmoid/tanh/softmax lookup table.
const TABLE: f64 = 1024.0;

/// Area of a `w`-bit multiplier (quadratic in width, as LUT multipliers are).
pub fn mul_area(w: f64) -> f64 {
    w * w / 4.0
}

/// The cost model: operand width in bits (32 for float functions; 8 for quantized ones until
/// their precisions are known at the nn level).
#[derive(Clone, Copy, Debug)]
pub struct CostModel {
    pub width: u32,
}

fn elems(t: &Type) -> f64 {
    t.num_elements().max(0) as f64
}

impl CostModel {
    /// The cost of one op (not counting its operands) with result type `ty` and operand types `operands`.
    pub fn op_cost(&self, op: &str, attrs: &[(String, Attribute)], ty: &Type, operands: &[&Type]) -> f64 {
        let w = f64::from(self.width);
        let (mul, add, cmp) = (mul_area(w), w, w / 2.0);
        let out = elems(ty);
        let stage = STAGE + out * w * MEM_BIT;
        let k = operands.first().and_then(|t| t.shape()).and_then(|s| s.last()).copied().unwrap_or(1) as f64;
        let has = |n: &str| attrs.iter().any(|(a, _)| a == n);
        match op {
            "arg" => 0.0,
            "nn.constant" => out * w * MEM_BIT,
            "nn.reshape" | "nn.flatten" => 1.0,
            "nn.slice" | "nn.concat" => 0.0,
            "nn.dense" | "nn.matmul" => {
                let act = if has("activation") { out * cmp } else { 0.0 };
                let input = operands.first().map_or(0.0, |t| elems(t)) * w * MEM_BIT;
                out * k * (mul + add) + act + stage + input
            }
            "nn.add" | "nn.sub" => out * add + stage,
            "nn.mul" => out * mul + stage,
            "nn.div" => out * 4.0 * mul + stage,
            "nn.relu" | "nn.clip" => out * cmp + stage,
            "nn.leaky_relu" => out * (cmp + mul) + stage,
            "nn.sigmoid" | "nn.tanh" => TABLE * w * MEM_BIT + out * (add + mul) + stage,
            "nn.softmax" => TABLE * w * MEM_BIT + out * (2.0 * add + 4.0 * mul) + stage,
            "nn.batch_norm" => out * (mul + add) + stage,
            _ => out * (mul + add + cmp) + stage,
        }
    }
}
