//! `nn-to-qdf` for the window ops beyond `spatial.rs`: `nn.global_max_pool` and
//! `nn.conv_transpose`, channels-last like the others.
//!
//! - `nn.global_max_pool`: a `qdf.max_pool` whose window is the whole plane.
//! - `nn.conv_transpose` (input `i` reaches output `i * s + k * d - p_begin`): the same sum as an
//!   ordinary convolution, stride 1, of the input with `s - 1` zeros inserted between positions,
//!   padded by `d * (K - 1) - p_begin` in front and `d * (K - 1) - p_end + output_padding` behind
//!   (a negative pad crops), with the kernel flipped and its channel axes swapped per group. The
//!   zeros come from data movement only (`qdf.reshape` to an extra unit axis after each spatial
//!   axis, `qdf.pad` of that axis to `s`, `qdf.reshape` back), so the products and the exact
//!   accumulator are those of a `qdf.conv`: its accumulator rule and lowering apply unchanged, and
//!   the zero taps add exact zeros. Every partial sum the reference forms (GEMM columns, then
//!   col2im) is a sum of a subset of these products, so the `qdf.conv` accumulator bound covers it.
//!
//! Invariant: values are those of the nn op's exact (real-number) sum, converted once.

use fpgaopt_ir::{Attribute, DiagResult, InsertPoint, Location, Module, OpId, Type, ValueId};
use fpgaopt_nn as nn;
use fpgaopt_qdf::{self as qdf, FixedType};

use super::rules::{self, Operand};
use super::spatial::{derived_loc, last_type, pad, to_first, to_last, transpose};
use super::{op_err, Converter};

/// A transposed convolution as an ordinary one: the input's zero insertion and pads, the weight.
pub struct TransposedConv {
    /// Per spatial axis: the stride (zeros inserted: `stride - 1` after each position).
    pub strides: Vec<i64>,
    /// Pads of the zero-inserted input, begin then end per spatial axis; negative crops.
    pub pads: Vec<i64>,
    pub dilations: Vec<i64>,
    pub group: i64,
    /// The channels-last conv weight `[*K, C / group, M]` (flipped kernel), and its values.
    pub weight_shape: Vec<i64>,
    pub weight: Vec<f64>,
}

impl TransposedConv {
    /// The equivalent convolution of `op` with weight `[C, M / group, *K]` values `w`.
    pub fn new(m: &Module, op: OpId, wshape: &[i64], w: &[f64]) -> TransposedConv {
        let c = nn::ConvTranspose(op);
        let (strides, onnx_pads, dilations, adj, group) = (c.strides(m), c.pads(m), c.dilations(m), c.output_padding(m), c.group(m));
        let kernel = wshape[2..].to_vec();
        let n = kernel.len();
        let mut pads = vec![0; 2 * n];
        for a in 0..n {
            let reach = dilations[a] * (kernel[a] - 1);
            pads[a] = reach - onnx_pads[a];
            // The zero insertion leaves `s - 1` zeros after the last position too.
            pads[n + a] = reach - onnx_pads[n + a] + adj[a] - (strides[a] - 1);
        }
        let (cin, mg) = (wshape[0], wshape[1]);
        let cg = cin / group.max(1);
        let taps: i64 = kernel.iter().product();
        let mut weight_shape = kernel.clone();
        weight_shape.extend([cg, mg * group]);
        let mut weight = vec![0.0; (taps * cg * mg * group) as usize];
        for t in 0..taps {
            // The flipped tap: every spatial index k becomes K - 1 - k.
            let mut rest = t;
            let mut flipped = 0;
            for a in (0..n).rev() {
                let k = rest % kernel[a];
                rest /= kernel[a];
                let stride: i64 = kernel[a + 1..].iter().product();
                flipped += (kernel[a] - 1 - k) * stride;
            }
            for ci in 0..cg {
                for mo in 0..mg * group {
                    let (g, mm) = (mo / mg, mo % mg);
                    let src = ((g * cg + ci) * mg + mm) * taps + flipped;
                    weight[((t * cg + ci) * mg * group + mo) as usize] = w[src as usize];
                }
            }
        }
        TransposedConv { strides, pads, dilations, group, weight_shape, weight }
    }

    /// The channels-last input `xt` (`[N, *S, C]`) zero-inserted, padded and cropped, before `at`.
    pub fn prepare(&self, m: &mut Module, at: InsertPoint, loc: &Location, xt: ValueId) -> ValueId {
        let n = self.strides.len();
        let mut v = xt;
        for a in 0..n {
            let s = self.strides[a];
            if s == 1 {
                continue;
            }
            let shape = m.ty(v).shape().unwrap_or(&[]).to_vec();
            let elem = m.ty(v).element().cloned().unwrap_or(Type::F32);
            // [.., S, rest] -> [.., S, 1, rest] -> pad to [.., S, s, rest] -> [.., S * s, rest]
            let mut unit = shape.clone();
            unit.insert(a + 2, 1);
            let r = qdf::Reshape::build(m, at, derived_loc(loc, "zeros"), v, Type::tensor(unit.clone(), elem.clone())).output(m);
            let mut pads = vec![0; 2 * unit.len()];
            pads[unit.len() + a + 2] = s - 1;
            let p = pad(m, at, derived_loc(loc, "zeros"), r, &pads, 0);
            let mut merged = shape;
            merged[a + 1] *= s;
            v = qdf::Reshape::build(m, at, derived_loc(loc, "zeros"), p, Type::tensor(merged, elem)).output(m);
        }
        let rank = n + 2;
        let mut grow = vec![0; 2 * rank];
        for a in 0..n {
            grow[1 + a] = self.pads[a].max(0);
            grow[rank + 1 + a] = self.pads[n + a].max(0);
        }
        v = pad(m, at, derived_loc(loc, "pad"), v, &grow, 0);
        for a in 0..n {
            let (front, back) = ((-self.pads[a]).max(0), (-self.pads[n + a]).max(0));
            if front == 0 && back == 0 {
                continue;
            }
            let mut shape = m.ty(v).shape().unwrap_or(&[]).to_vec();
            shape[a + 1] -= front + back;
            let elem = m.ty(v).element().cloned().unwrap_or(Type::F32);
            let spec = qdf::Slice::spec(derived_loc(loc, "crop"))
                .operands([v])
                .results([Type::tensor(shape.clone(), elem)])
                .attr("axis", Attribute::i64(a as i64 + 1))
                .attr("start", Attribute::i64(front))
                .attr("size", Attribute::i64(shape[a + 1]));
            let o = m.build(at, spec);
            v = m.result(o, 0);
        }
        v
    }

    /// The `qdf.conv` of the prepared input `xp` by weight and bias constants, before `at`.
    #[allow(clippy::too_many_arguments)]
    pub fn conv(&self, m: &mut Module, at: InsertPoint, loc: &Location, xp: ValueId, w: ValueId, b: ValueId, acc: &FixedType, out: Type) -> ValueId {
        let ones = vec![1; self.strides.len()];
        let spec = qdf::Conv::spec(loc.clone())
            .operands([xp, w, b])
            .results([out])
            .attr("strides", Attribute::i64_array(&ones))
            .attr("dilations", Attribute::i64_array(&self.dilations))
            .attr("group", Attribute::i64(self.group))
            .attr("acc_type", Attribute::Type(acc.to_type()));
        let o = m.build(at, spec);
        m.result(o, 0)
    }
}

/// `qdf.max_pool` over the whole plane of the channels-last `xt` (`[N, *S, C]`) into type `out`.
pub fn global_max(m: &mut Module, at: InsertPoint, loc: &Location, xt: ValueId, out: &FixedType) -> ValueId {
    let s = m.ty(xt).shape().unwrap_or(&[]).to_vec();
    let plane = s[1..s.len() - 1].to_vec();
    let ones = vec![1; plane.len()];
    let mut ys = vec![s[0]];
    ys.extend(&ones);
    ys.push(s[s.len() - 1]);
    let spec = qdf::MaxPool::spec(loc.clone())
        .operands([xt])
        .results([Type::tensor(ys, out.to_type())])
        .attr("kernel", Attribute::i64_array(&plane))
        .attr("strides", Attribute::i64_array(&ones))
        .attr("dilations", Attribute::i64_array(&ones));
    let o = m.build(at, spec);
    m.result(o, 0)
}

impl Converter<'_> {
    /// `nn.global_max_pool`: the largest of each channel's plane, converted to the layer's type.
    pub(super) fn global_max_pool_op(&mut self, op: OpId, out_f: FixedType) -> DiagResult<ValueId> {
        let loc = self.m.op(op).loc.clone();
        let at = InsertPoint::Before(op);
        let x = self.get(self.m.operand(op, 0), op, &self.s.precision)?;
        let r = self.m.ty(x).shape().map_or(0, <[i64]>::len);
        let xt = transpose(self.m, at, derived_loc(&loc, "to_last"), x, &to_last(r));
        let y = global_max(self.m, at, &loc, xt, &out_f);
        Ok(transpose(self.m, at, derived_loc(&loc, "to_first"), y, &to_first(r)))
    }

    /// `nn.conv_transpose`: weights and bias quantized like a conv's, the exact accumulator of the
    /// equivalent `qdf.conv` (or the layer's configured one).
    pub(super) fn conv_transpose_op(&mut self, op: OpId, out_f: FixedType, weight_f: FixedType, bias_f: FixedType) -> DiagResult<ValueId> {
        let loc = self.m.op(op).loc.clone();
        let name = "nn.conv_transpose";
        let at = InsertPoint::Before(op);
        let c = nn::ConvTranspose(op);
        let (wv, bv) = (c.weight(self.m), c.bias(self.m));
        let wc = nn::Constant::defining(self.m, wv).ok_or_else(|| op_err(&loc, name, "the weight must be a constant"))?;
        let bc = nn::Constant::defining(self.m, bv).ok_or_else(|| op_err(&loc, name, "the bias must be a constant"))?;
        let d = wc.value(self.m);
        let tc = TransposedConv::new(self.m, op, d.ty.shape().unwrap_or(&[]), &d.to_f64_vec());
        let bias = bc.value(self.m).to_f64_vec();
        let x = self.get(c.input(self.m), op, &self.s.precision)?;
        let tx = self.fixed(x);
        let r = self.m.ty(x).shape().map_or(0, <[i64]>::len);
        let xt = transpose(self.m, at, derived_loc(&loc, "to_last"), x, &to_last(r));
        let xp = tc.prepare(self.m, at, &loc, xt);
        let wq = rules::quantize_const(&tc.weight, &weight_f);
        let bq = rules::quantize_const(&bias, &bias_f);
        let m_out = bq.len();
        let k = wq.len() / m_out.max(1);
        let acc = match self.s.layer(&loc).acc {
            Some(a) => a,
            None => rules::dense_acc(&tx, &Operand { ty: weight_f, values: Some(&wq) }, &Operand { ty: bias_f, values: Some(&bq) }, k, m_out)
                .map_err(|e| op_err(&loc, name, e))?,
        };
        let w = self.const_of(at, &loc, &tc.weight_shape, &weight_f, &wq)?;
        let b = self.const_of(at, &loc, &[m_out as i64], &bias_f, &bq)?;
        let res_ty = self.m.ty(self.m.result(op, 0)).clone();
        let y = tc.conv(self.m, at, &loc, xp, w, b, &acc, last_type(&res_ty, &out_f));
        Ok(transpose(self.m, at, derived_loc(&loc, "to_first"), y, &to_first(r)))
    }
}
