//! Verifiers of the float32 ops, `qdf.fquant`, `qdf.threshold` and `qdf.requant`.

use fpgaopt_ir::shape::fmt_shape as fmt;
use fpgaopt_ir::{DenseElements, Module, OpId, ValueId};

use crate::fixed::{FixedType, MAX_EXACT_BITS};
use crate::semantics::float::{DenseOrder, QuantRounding};
use crate::verify::{broadcast_shapes, elem, exact, same_shape, shape};

fn check_broadcast(what: &str, d: &DenseElements, x: &[i64]) -> Result<(), String> {
    let s = d.ty.shape().unwrap_or(&[]);
    if broadcast_shapes(x, s).as_deref() != Some(x) {
        return Err(format!("{what} of shape {} does not broadcast to the input shape {}", fmt(s), fmt(x)));
    }
    Ok(())
}

pub(crate) fn verify_fconstant(m: &Module, op: OpId) -> Result<(), String> {
    let c = crate::FConstant(op);
    let (d, out) = (c.value(m), c.output(m));
    if d.ty.shape() != m.ty(out).shape() {
        return Err(format!("value shape {} does not match result shape {}", fmt(d.ty.shape().unwrap_or(&[])), fmt(&shape(m, out))));
    }
    Ok(())
}

pub(crate) fn verify_fbinary(m: &Module, op: OpId) -> Result<(), String> {
    let (a, b, y) = (shape(m, m.operand(op, 0)), shape(m, m.operand(op, 1)), shape(m, m.result(op, 0)));
    match broadcast_shapes(&a, &b) {
        Some(s) if s == y => Ok(()),
        Some(s) => Err(format!("result shape {} should be {}", fmt(&y), fmt(&s))),
        None => Err(format!("operand shapes {} and {} do not broadcast", fmt(&a), fmt(&b))),
    }
}

pub(crate) fn verify_funary(m: &Module, op: OpId) -> Result<(), String> {
    same_shape(m, m.operand(op, 0), m.result(op, 0))
}

pub(crate) fn verify_fdense(m: &Module, op: OpId) -> Result<(), String> {
    let d = crate::FDense(op);
    if DenseOrder::parse(d.order(m)).is_none() {
        return Err(format!("order '{}' is not one of mlas_packed, mlas_m1, mlas_m1_transposed", d.order(m)));
    }
    let (x, w, b, y) = (shape(m, d.input(m)), shape(m, d.weight(m)), shape(m, d.bias(m)), shape(m, d.output(m)));
    if w.len() != 2 {
        return Err(format!("weight must be 2-D [K, N], got {}", fmt(&w)));
    }
    if x.last() != Some(&w[0]) {
        return Err(format!("input {} does not end in the weight's K = {}", fmt(&x), w[0]));
    }
    if b != [w[1]] {
        return Err(format!("bias must be [{}], got {}", w[1], fmt(&b)));
    }
    let mut expect = x.clone();
    if let Some(l) = expect.last_mut() {
        *l = w[1];
    }
    if y != expect {
        return Err(format!("result shape {} should be {}", fmt(&y), fmt(&expect)));
    }
    Ok(())
}

pub(crate) fn verify_fsoftmax(m: &Module, op: OpId) -> Result<(), String> {
    verify_funary(m, op)?;
    let rank = shape(m, m.operand(op, 0)).len() as i64;
    let axis = crate::FSoftmax(op).axis(m);
    if !(0..rank).contains(&axis) {
        return Err(format!("axis {axis} is out of range for rank {rank}"));
    }
    Ok(())
}

fn integral(v: f64) -> bool {
    v.is_finite() && v.fract() == 0.0 && v.abs() < 2f64.powi(62)
}

pub(crate) fn verify_fquant(m: &Module, op: OpId) -> Result<(), String> {
    let q = crate::FQuant(op);
    let (x, y) = (q.input(m), q.output(m));
    let out = elem(m, y)?;
    same_shape(m, x, y)?;
    let xs = shape(m, x);
    let rounding = QuantRounding::parse(q.rounding(m)).ok_or_else(|| {
        let all: Vec<&str> = QuantRounding::ALL.iter().map(|r| r.name()).collect();
        format!("rounding '{}' is not one of {}", q.rounding(m), all.join(", "))
    })?;
    if let Some(s) = q.scale(m) {
        check_broadcast("scale", s, &xs)?;
        if let Some(v) = s.to_f32_vec().into_iter().find(|v| !(*v > 0.0 && v.is_finite())) {
            return Err(format!("scale {v} is not positive and finite"));
        }
    }
    let zps = match q.zero_point(m) {
        Some(z) => {
            check_broadcast("zero_point", z, &xs)?;
            let v = z.to_f64_vec();
            if let Some(bad) = v.iter().find(|&&z| !integral(z)) {
                return Err(format!("zero_point {bad} is not an integer"));
            }
            v
        }
        None => vec![0.0],
    };
    let (zlo, zhi) = zps.iter().fold((f64::MAX, f64::MIN), |(a, b), &z| (a.min(z), b.max(z)));
    let (lo, hi) = if rounding == QuantRounding::Sign {
        (-1.0, 1.0)
    } else {
        let (Some(lo), Some(hi)) = (q.min(m), q.max(m)) else {
            return Err(format!("rounding '{}' needs 'min' and 'max'", rounding.name()));
        };
        if !integral(lo) || !integral(hi) || lo > hi || (lo as f32) as f64 != lo || (hi as f32) as f64 != hi {
            return Err(format!("min {lo} and max {hi} must be ordered integers exactly representable in f32"));
        }
        (lo, hi)
    };
    let (rlo, rhi) = ((lo - zhi) as i128, (hi - zlo) as i128);
    if rlo < out.min_mantissa() || rhi > out.max_mantissa() {
        return Err(format!("codes in [{rlo}, {rhi}] do not fit the result type {out}"));
    }
    Ok(())
}

/// A dense integer attribute of shape `[C]` with C = 1 or `channels`.
fn per_channel(what: &str, d: &DenseElements, channels: Option<i64>) -> Result<usize, String> {
    let s = d.ty.shape().unwrap_or(&[]);
    let n = s.first().copied().unwrap_or(1);
    if s.len() > 1 || (n != 1 && Some(n) != channels) {
        let want = channels.map_or("[1]".to_string(), |c| format!("[1] or [{c}]"));
        return Err(format!("{what} must have shape {want}, got {}", fmt(s)));
    }
    Ok(n as usize)
}

/// The channel count of `v` along the channel axis of `op` (`axis`, default 1); an error when the
/// attribute names no axis of `v`.
fn channel_dim(m: &Module, op: OpId, v: ValueId) -> Result<Option<i64>, String> {
    let s = shape(m, v);
    match m.attr(op, "axis").and_then(fpgaopt_ir::Attribute::as_int) {
        None => Ok(s.get(1).copied()),
        Some(a) if a >= 0 && (a as usize) < s.len() => Ok(Some(s[a as usize])),
        Some(a) => Err(format!("axis {a} is not an axis of the input shape {}", fmt(&s))),
    }
}

pub(crate) fn verify_threshold(m: &Module, op: OpId) -> Result<(), String> {
    let t = crate::Threshold(op);
    let (x, y) = (t.input(m), t.output(m));
    elem(m, x)?;
    let out = elem(m, y)?;
    same_shape(m, x, y)?;
    let th = t.thresholds(m);
    let s = th.ty.shape().unwrap_or(&[]).to_vec();
    let ch = channel_dim(m, op, x)?;
    if s.len() != 2 || s[1] < 1 || (s[0] != 1 && Some(s[0]) != ch) {
        return Err(format!("thresholds must be [C, L] with L >= 1 and C = 1 or the channel count, got {}", fmt(&s)));
    }
    let (c, l) = (s[0] as usize, s[1] as usize);
    let v = th.to_i64_vec();
    if let Some(r) = (0..c).find(|&r| v[r * l..(r + 1) * l].windows(2).any(|w| w[0] > w[1])) {
        return Err(format!("thresholds of channel {r} are not ascending"));
    }
    let nb = per_channel("base", t.base(m), ch)?;
    let ns = per_channel("step", t.step(m), ch)?;
    let (base, step) = (t.base(m).to_i64_vec(), t.step(m).to_i64_vec());
    for k in 0..c.max(nb).max(ns) {
        let (b, st) = (base[k % nb] as i128, step[k % ns] as i128);
        for end in [b, b + st * l as i128] {
            if end < out.min_mantissa() || end > out.max_mantissa() {
                return Err(format!("channel {k} reaches mantissa {end}, outside the result type {out}"));
            }
        }
    }
    Ok(())
}

pub(crate) fn verify_requant(m: &Module, op: OpId) -> Result<(), String> {
    let r = crate::Requant(op);
    let (x, y) = (r.input(m), r.output(m));
    let tx = elem(m, x)?;
    let out = elem(m, y)?;
    same_shape(m, x, y)?;
    per_channel("multiplier", r.multiplier(m), channel_dim(m, op, x)?)?;
    if !(0..=62).contains(&r.shift(m)) {
        return Err(format!("shift {} is outside 0..=62", r.shift(m)));
    }
    let mbits = r.multiplier(m).to_i64_vec().iter().map(|&v| 65 - v.unsigned_abs().leading_zeros()).max().unwrap_or(1);
    let product = FixedType::new(tx.signed_bits() + mbits, 0);
    exact(&product, "the product input * multiplier")?;
    if product.width + 1 > MAX_EXACT_BITS {
        return Err(format!("the product needs {} bits, more than {MAX_EXACT_BITS}", product.width));
    }
    if let (Some(lo), Some(hi)) = (r.min(m), r.max(m)) {
        if lo > hi {
            return Err(format!("min {lo} is greater than max {hi}"));
        }
    }
    for b in [r.min(m), r.max(m)].into_iter().flatten() {
        if (b as i128) < out.min_mantissa() || (b as i128) > out.max_mantissa() {
            return Err(format!("bound {b} does not fit the result type {out}"));
        }
    }
    Ok(())
}
