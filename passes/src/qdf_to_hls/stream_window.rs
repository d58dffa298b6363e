//! io=stream processes of the spatial layers: `qdf.pad` (pad beats around copied rows) and the
//! window ops over a row buffer (see `stream.rs` and docs/design/cnn.md).

use fpgaopt_ir::{Attribute, DiagResult, Diagnostic, Module, OpId, Type, ValueId};
use fpgaopt_qdf::semantics::spatial::reciprocal;
use fpgaopt_qdf::FixedType;

use super::builder::{FnBuilder, LoopKind::*};
use super::fifo::{Phase, Process};
use super::layers::{hls_elem, hls_fixed};
use super::stream::{finish, process_fn, shape, stream_layer, stream_of, Proc, PARTITION_LIMIT};
use super::spatial::{conv_pixel, pool_pixel};
use super::Config;

/// `[1, H, W, C]` (or `[1, W, C]`) as `(H, W, C)`.
fn hwc(s: &[i64]) -> (i64, i64, i64) {
    match *s {
        [_, w, c] => (1, w, c),
        [_, h, w, c] => (h, w, c),
        _ => (1, 1, 1),
    }
}

/// `qdf.pad` of the spatial axes: rows of pad beats, and pad beats around each copied row.
pub(super) fn pad_stream(m: &mut Module, op: OpId, name: &str, node: &str, main: OpId, cfg: &Config) -> DiagResult<Proc> {
    let loc = m.op(op).loc.clone();
    let (x, y) = (m.operand(op, 0), m.result(op, 0));
    let (st, _) = stream_of(m, y).ok_or_else(|| Diagnostic::error(loc.clone(), "not a tensor"))?;
    let (h, w, c) = hwc(&shape(m, x));
    let (_, wp, _) = hwc(&shape(m, y));
    let pads = m.attr(op, "pads").and_then(Attribute::as_i64_array).unwrap_or_default();
    let r = shape(m, x).len();
    let (top, left, bottom, right) = if r == 4 { (pads[1], pads[2], pads[r + 1], pads[r + 2]) } else { (0, pads[1], 0, pads[r + 1]) };
    let value = m.attr(op, "value").and_then(Attribute::as_int).unwrap_or(0);
    let layer = stream_layer(m, op, node, "pad", cfg.reuse);
    let (mut b, args) = process_fn(m, main, name, std::slice::from_ref(&st), std::slice::from_ref(&st), &[], &loc);
    let fill = b.alloca(&[c], st.elem.clone(), "fill", true);
    let beat = b.alloca(&[c], st.elem.clone(), "beat", true);
    let pv = if st.elem == Type::F32 { b.fconst(0.0) } else { b.constant(&st.elem, value) };
    let saved = b.at;
    let l = if c == 1 { b.index(0) } else { b.for_loop(c, Inner, "l") };
    b.store(pv, fill, &[l]);
    b.at = saved;
    let write_fill = |b: &mut FnBuilder<'_>, n: i64, hint: &str| {
        if n == 0 {
            return;
        }
        let saved = b.at;
        if n > 1 {
            b.for_loop(n, Pipelined, hint);
        }
        b.build(fpgaopt_hls::StreamWrite::spec(b.loc.clone()).operands([args[1], fill]));
        b.at = saved;
    };
    write_fill(&mut b, top * wp, "t");
    let saved = b.at;
    if h > 1 {
        b.for_loop(h, Outer, "r");
    }
    write_fill(&mut b, left, "p");
    let inner = b.at;
    if w > 1 {
        b.for_loop(w, Pipelined, "w");
    }
    b.build(fpgaopt_hls::StreamRead::spec(b.loc.clone()).operands([args[0], beat]));
    b.build(fpgaopt_hls::StreamWrite::spec(b.loc.clone()).operands([args[1], beat]));
    b.at = inner;
    write_fill(&mut b, right, "q");
    b.at = saved;
    write_fill(&mut b, bottom * wp, "u");
    finish(b, cfg, Some(layer));
    let mut phases = vec![Phase::new((top * wp) as u64, vec![], vec![0])];
    for _ in 0..h {
        phases.extend([Phase::new(left as u64, vec![], vec![0]), Phase::new(w as u64, vec![0], vec![0]), Phase::new(right as u64, vec![], vec![0])]);
    }
    phases.push(Phase::new((bottom * wp) as u64, vec![], vec![0]));
    Ok(Proc { sched: Process { name: name.into(), inputs: vec![0], outputs: vec![0], phases, ii: cfg.reuse as u64 }, array: None })
}

/// `qdf.conv` / `qdf.max_pool` / `qdf.avg_pool` over a row buffer.
pub(super) fn window_stream(m: &mut Module, op: OpId, name: &str, node: &str, main: OpId, cfg: &Config) -> DiagResult<Proc> {
    let loc = m.op(op).loc.clone();
    let opname = m.op(op).name();
    let (x, y) = (m.operand(op, 0), m.result(op, 0));
    let (ist, _) = stream_of(m, x).ok_or_else(|| Diagnostic::error(loc.clone(), "not a tensor"))?;
    let (ost, _) = stream_of(m, y).ok_or_else(|| Diagnostic::error(loc.clone(), "not a tensor"))?;
    let (h, w, c) = hwc(&shape(m, x));
    let (oh, ow, mm) = hwc(&shape(m, y));
    let ints = |k: &str| m.attr(op, k).and_then(Attribute::as_i64_array).unwrap_or_default();
    let kernel = if opname == "qdf.conv" { let s = shape(m, m.operand(op, 1)); s[..s.len() - 2].to_vec() } else { ints("kernel") };
    let one_d = kernel.len() == 1;
    let two = |v: Vec<i64>| if v.len() == 1 { (1, v[0]) } else { (v[0], v[1]) };
    let ((kh, kw), (sh, sw), (dh, dw)) = (two(kernel), two(ints("strides")), two(ints("dilations")));
    let rows = dh * (kh - 1) + 1;
    let layer = stream_layer(m, op, node, "window", cfg.reuse);
    let out_ty = hls_elem(m.ty(y).element().unwrap_or(&Type::F32)).unwrap_or(Type::F32);
    let acc_ty = m.attr(op, "acc_type").and_then(Attribute::as_type).and_then(FixedType::from_type).map(|t| hls_fixed(&t).to_type());
    let group = m.attr(op, "group").and_then(Attribute::as_int).unwrap_or(1);
    let weights = if opname == "qdf.conv" {
        let wv = m.operand(op, 1);
        let bv = m.operand(op, 2);
        let get = |v: ValueId| fpgaopt_qdf::Constant::defining(m, v).map(|c| c.value(m).to_i64_vec());
        Some((get(wv).ok_or_else(|| Diagnostic::error(loc.clone(), "conv weights must be constants"))?, shape(m, wv), hls_elem(m.ty(wv).element().unwrap_or(&Type::F32)).unwrap_or(Type::F32), get(bv).unwrap_or_default(), hls_elem(m.ty(bv).element().unwrap_or(&Type::F32)).unwrap_or(Type::F32)))
    } else {
        None
    };
    let avg = (opname == "qdf.avg_pool").then(|| {
        let r = m.attr(op, "recip_type").and_then(Attribute::as_type).and_then(FixedType::from_type).unwrap_or(FixedType::unsigned(2, 1));
        let d = m.attr(op, "divisors").and_then(Attribute::as_dense).map(|d| d.to_i64_vec()).unwrap_or_default();
        (r, d)
    });
    let (mut b, args) = process_fn(m, main, name, std::slice::from_ref(&ist), std::slice::from_ref(&ost), &[], &loc);
    let x_ty = ist.elem.clone();
    let lb = b.alloca(&[rows, w, c], x_ty.clone(), "rows", false);
    b.m.set_attr(b.m.def_op(lb).unwrap_or(b.func), "partition", Attribute::str("complete"));
    b.m.set_attr(b.m.def_op(lb).unwrap_or(b.func), "dim", Attribute::i64(3));
    let beat = b.alloca(&[c], x_ty.clone(), "beat", true);
    let out = b.alloca(&[mm], out_ty.clone(), "pixel", true);
    // Weights beyond the partition limit: one flat rom in `ceil(n / 2ii)` cyclic two-port banks,
    // read over `ii` cycles per output pixel (the layer's reuse factor grows to make that fit).
    let n_weights = weights.as_ref().map_or(0, |w| w.0.len() as i64);
    let ii = if n_weights > PARTITION_LIMIT { cfg.reuse.max((n_weights + PARTITION_LIMIT - 1) / PARTITION_LIMIT) } else { cfg.reuse };
    let flat = n_weights > PARTITION_LIMIT;
    let roms = weights.as_ref().map(|(wv, ws, wt, bv, bt)| {
        let wr = if flat {
            let r = b.rom(wv, &[n_weights], wt.clone(), &format!("{name}_w"), None);
            let rom = b.m.def_op(r).unwrap_or(b.func);
            // Each bank is a two-port rom: `ii` cycles read `2 * ii` weights of it.
            let banks = (n_weights + 2 * ii - 1) / (2 * ii);
            let per_bank = (n_weights + banks - 1) / banks;
            b.m.set_attr(rom, "partition", Attribute::str("cyclic"));
            b.m.set_attr(rom, "factor", Attribute::i64(banks));
            b.m.set_attr(rom, "dim", Attribute::i64(1));
            // Banks shallower than half a BRAM18 (512 words) go to LUTs rather than waste BRAMs.
            b.m.set_attr(rom, "storage", Attribute::str(if per_bank >= 512 { "bram" } else { "lutram" }));
            r
        } else {
            b.rom(wv, ws, wt.clone(), &format!("{name}_w"), Some(("complete", 0)))
        };
        let br = b.rom(bv, &[mm], bt.clone(), &format!("{name}_b"), Some(("complete", 0)));
        (wr, br)
    });
    let recips = avg.as_ref().map(|(r, d)| {
        let vals: Vec<i64> = d.iter().map(|&d| reciprocal(d, r) as i64).collect();
        b.rom(&vals, &[oh, ow], hls_fixed(r).to_type(), &format!("{name}_recip"), None)
    });
    // Reads `n` rows into buffer rows `first..first + n` (or discards them).
    let read_rows = |b: &mut FnBuilder<'_>, n: i64, first: Option<i64>| {
        if n == 0 {
            return;
        }
        let saved = b.at;
        let r = if n == 1 { b.index(0) } else { b.for_loop(n, Outer, "r") };
        let col = if w == 1 { b.index(0) } else { b.for_loop(w, Pipelined, "w") };
        b.build(fpgaopt_hls::StreamRead::spec(b.loc.clone()).operands([args[0], beat]));
        if let Some(first) = first {
            let row = b.affine(&[r], &[1], first);
            let ch = if c == 1 { b.index(0) } else { b.for_loop(c, Inner, "c") };
            let v = b.load(beat, &[ch]);
            b.store(v, lb, &[row, col, ch]);
        }
        b.at = saved;
    };
    // Computes output row `orow` from the buffer.
    let compute_row = |b: &mut FnBuilder<'_>, orow: ValueId| {
        let saved = b.at;
        let ocol = if ow == 1 { b.index(0) } else { b.for_loop(ow, Pipelined, "ow") };
        let pixel = b.at;
        // Tap counters (ky, kx), or (kx) for 1-D, index the row buffer at (ky * dh, ow * sw + kx * dw).
        let load = |b: &mut FnBuilder<'_>, ks: &[ValueId], ch: ValueId| {
            let (ky, kx) = if one_d { (b.index(0), ks[0]) } else { (ks[0], ks[1]) };
            let r = b.affine(&[ky], &[dh], 0);
            let col = b.affine(&[ocol, kx], &[sw, dw], 0);
            b.load(lb, &[r, col, ch])
        };
        let kernel: Vec<i64> = if one_d { vec![kw] } else { vec![kh, kw] };
        match (&roms, &recips) {
            (Some((wr, br)), _) => {
                let acc_ty = acc_ty.clone().unwrap_or(Type::F32);
                let w_index = |b: &mut FnBuilder<'_>, ks: &[ValueId], ci: ValueId, m: ValueId| {
                    let cg = c / group;
                    let (ky, kx) = if one_d { (b.index(0), ks[0]) } else { (ks[0], ks[1]) };
                    if flat {
                        // ((ky * kw + kx) * cg + ci) * M + m
                        vec![b.affine(&[ky, kx, ci, m], &[kw * cg * mm, cg * mm, mm, 1], 0)]
                    } else {
                        let mut wi = ks.to_vec();
                        wi.extend([ci, m]);
                        wi
                    }
                };
                let store = |b: &mut FnBuilder<'_>, m: ValueId, v: ValueId| b.store(v, out, &[m]);
                conv_pixel(b, &kernel, (group, c / group, mm / group), (Inner, Inner), &load, (*wr, *br), &w_index, (&acc_ty, &out_ty), &store);
            }
            (None, recip) => {
                let ch = if c == 1 { b.index(0) } else { b.for_loop(c, Inner, "c") };
                let state = acc_ty.clone().unwrap_or(x_ty.clone());
                let at = [orow, ocol];
                let avg = (*recip).map(|rom| (&state, rom, &at[..]));
                let res = pool_pixel(b, &kernel, ch, &load, avg, &x_ty, &out_ty);
                b.store(res, out, &[ch]);
            }
        }
        b.at = pixel;
        b.build(fpgaopt_hls::StreamWrite::spec(b.loc.clone()).operands([args[1], out]));
        b.at = saved;
    };
    // First output row: the first `rows` input rows.
    read_rows(&mut b, rows, Some(0));
    let zero = b.index(0);
    compute_row(&mut b, zero);
    if oh > 1 {
        let saved = b.at;
        let i = b.for_loop(oh - 1, Outer, "o");
        if sh < rows {
            // Shift the kept rows up.
            let keep = rows - sh;
            let s2 = b.at;
            let r = if keep == 1 { b.index(0) } else { b.for_loop(keep, Outer, "k") };
            let col = if w == 1 { b.index(0) } else { b.for_loop(w, Pipelined, "w") };
            let ch = if c == 1 { b.index(0) } else { b.for_loop(c, Inner, "c") };
            let from = b.affine(&[r], &[1], sh);
            let v = b.load(lb, &[from, col, ch]);
            b.store(v, lb, &[r, col, ch]);
            b.at = s2;
            read_rows(&mut b, sh, Some(keep));
        } else {
            read_rows(&mut b, sh - rows, None);
            read_rows(&mut b, rows, Some(0));
        }
        let orow = b.affine(&[i], &[1], 1);
        compute_row(&mut b, orow);
        b.at = saved;
    }
    let drain = h - ((oh - 1) * sh + rows);
    read_rows(&mut b, drain, None);
    let layer = match layer {
        Attribute::Dict(mut d) => {
            d.push(("reuse".into(), Attribute::i64(ii)));
            d.sort_by(|a, b| a.0.cmp(&b.0));
            Attribute::Dict(d)
        }
        other => other,
    };
    finish(b, &Config { reuse: ii, ..cfg.clone() }, Some(layer));
    let mut phases = vec![Phase::new((rows * w) as u64, vec![0], vec![]), Phase::new(ow as u64, vec![], vec![0])];
    for _ in 1..oh {
        phases.extend([Phase::new((sh * w) as u64, vec![0], vec![]), Phase::new(ow as u64, vec![], vec![0])]);
    }
    phases.push(Phase::new((drain * w).max(0) as u64, vec![0], vec![]));
    Ok(Proc { sched: Process { name: name.into(), inputs: vec![0], outputs: vec![0], phases, ii: ii as u64 }, array: None })
}

