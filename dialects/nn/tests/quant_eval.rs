//! The quantizer evaluators and the dense summation orders against their references, bit for
//! bit. Every expected value below was printed by `python/gen_nn_quant_refs.py`: qonnx's own
//! numpy functions (`int_quant`, `binary_quant`, `trunc_v1`, `trunc_v2`, what `execute_onnx`
//! runs) and onnxruntime 1.32 (CPU, ORT_DISABLE_ALL, x86-64 AVX2/FMA) on the same inputs.

use fpgaopt_nn::eval::*;
use fpgaopt_nn::RoundingMode;

fn t(shape: &[i64], data: &[f32]) -> Tensor {
    Tensor::new(shape.to_vec(), data.to_vec()).expect("well-formed test tensor")
}

fn s(v: f32) -> Tensor {
    Tensor::scalar(v)
}

fn bits(t: &Tensor) -> Vec<u32> {
    t.data.iter().map(|v| v.to_bits()).collect()
}

/// Ties, near-ties, signed zeros, saturating values, NaN and infinities.
const QX: [f32; 20] = [
    0.5,
    1.5,
    2.5,
    -0.5,
    -1.5,
    -2.5,
    0.49999997,
    -0.49999997,
    1.0000001,
    0.3,
    -0.7,
    0.0,
    -0.0,
    7.4,
    -9.6,
    100.0,
    -100.0,
    f32::NAN,
    f32::INFINITY,
    f32::NEG_INFINITY,
];

fn qx(scale: f32) -> Tensor {
    t(&[20], &QX.map(|v| v * scale))
}

/// The tests' generator: a 64-bit LCG, top 24 bits to [-1, 1) (as in python/gen_nn_quant_refs.py).
fn lcg(seed: u64, n: usize) -> Vec<f32> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((s >> 40) as f64 / (1u64 << 23) as f64 - 1.0) as f32
        })
        .collect()
}

#[test]
fn quant_matches_qonnx_in_every_rounding_mode_and_range() {
    // (rounding mode, bit width, signed, narrow, expected bits) on QX * 0.5 with scale 0.5.
    let cases: [(&str, i64, bool, bool, [u32; 20]); 12] = [
        (
            "ROUND",
            4,
            true,
            false,
            [
                0x00000000, 0x3f800000, 0x3f800000, 0x80000000, 0xbf800000, 0xbf800000, 0x00000000, 0x80000000,
                0x3f000000, 0x00000000, 0xbf000000, 0x00000000, 0x00000000, 0x40600000, 0xc0800000, 0x40600000,
                0xc0800000, 0x7fc00000, 0x40600000, 0xc0800000,
            ],
        ),
        (
            "CEIL",
            4,
            true,
            false,
            [
                0x3f000000, 0x3f800000, 0x3fc00000, 0x80000000, 0xbf000000, 0xbf800000, 0x3f000000, 0x80000000,
                0x3f800000, 0x3f000000, 0x80000000, 0x00000000, 0x00000000, 0x40600000, 0xc0800000, 0x40600000,
                0xc0800000, 0x7fc00000, 0x40600000, 0xc0800000,
            ],
        ),
        (
            "FLOOR",
            4,
            true,
            false,
            [
                0x00000000, 0x3f000000, 0x3f800000, 0xbf000000, 0xbf800000, 0xbfc00000, 0x00000000, 0xbf000000,
                0x3f000000, 0x00000000, 0xbf000000, 0x00000000, 0x00000000, 0x40600000, 0xc0800000, 0x40600000,
                0xc0800000, 0x7fc00000, 0x40600000, 0xc0800000,
            ],
        ),
        (
            "UP",
            4,
            true,
            false,
            [
                0x3f000000, 0x3f800000, 0x3fc00000, 0xbf000000, 0xbf800000, 0xbfc00000, 0x3f000000, 0xbf000000,
                0x3f800000, 0x3f000000, 0xbf000000, 0x00000000, 0x00000000, 0x40600000, 0xc0800000, 0x40600000,
                0xc0800000, 0x7fc00000, 0x40600000, 0xc0800000,
            ],
        ),
        (
            "DOWN",
            4,
            true,
            false,
            [
                0x00000000, 0x3f000000, 0x3f800000, 0x80000000, 0xbf000000, 0xbf800000, 0x00000000, 0x80000000,
                0x3f000000, 0x00000000, 0x80000000, 0x00000000, 0x00000000, 0x40600000, 0xc0800000, 0x40600000,
                0xc0800000, 0x7fc00000, 0x40600000, 0xc0800000,
            ],
        ),
        (
            "HALF_UP",
            4,
            true,
            false,
            [
                0x3f000000, 0x3f800000, 0x3fc00000, 0xbf000000, 0xbf800000, 0xbfc00000, 0x3f000000, 0xbf000000,
                0x3f000000, 0x00000000, 0xbf000000, 0x00000000, 0x00000000, 0x40600000, 0xc0800000, 0x40600000,
                0xc0800000, 0x7fc00000, 0x40600000, 0xc0800000,
            ],
        ),
        (
            "HALF_DOWN",
            4,
            true,
            false,
            [
                0x00000000, 0x3f000000, 0x3f800000, 0x80000000, 0xbf000000, 0xbf800000, 0x80000000, 0x00000000,
                0x3f000000, 0x80000000, 0xbf000000, 0x80000000, 0x80000000, 0x40600000, 0xc0800000, 0x40600000,
                0xc0800000, 0x7fc00000, 0x40600000, 0xc0800000,
            ],
        ),
        (
            "ROUND",
            3,
            false,
            false,
            [
                0x00000000, 0x3f800000, 0x3f800000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
                0x3f000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x40600000, 0x00000000, 0x40600000,
                0x00000000, 0x7fc00000, 0x40600000, 0x00000000,
            ],
        ),
        (
            "ROUND",
            3,
            false,
            true,
            [
                0x00000000, 0x3f800000, 0x3f800000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
                0x3f000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x40400000, 0x00000000, 0x40400000,
                0x00000000, 0x7fc00000, 0x40400000, 0x00000000,
            ],
        ),
        (
            "ROUND",
            8,
            true,
            true,
            [
                0x00000000, 0x3f800000, 0x3f800000, 0x80000000, 0xbf800000, 0xbf800000, 0x00000000, 0x80000000,
                0x3f000000, 0x00000000, 0xbf000000, 0x00000000, 0x00000000, 0x40600000, 0xc0a00000, 0x42480000,
                0xc2480000, 0x7fc00000, 0x427e0000, 0xc27e0000,
            ],
        ),
        (
            "ROUND",
            1,
            true,
            false,
            [
                0x3f000000, 0x3f000000, 0x3f000000, 0xbf000000, 0xbf000000, 0xbf000000, 0x3f000000, 0xbf000000,
                0x3f000000, 0x3f000000, 0xbf000000, 0x3f000000, 0x3f000000, 0x3f000000, 0xbf000000, 0x3f000000,
                0xbf000000, 0xbf000000, 0x3f000000, 0xbf000000,
            ],
        ),
        (
            "ROUND",
            1,
            false,
            false,
            [
                0x00000000, 0x3f000000, 0x3f000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
                0x3f000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x3f000000, 0x00000000, 0x3f000000,
                0x00000000, 0x7fc00000, 0x3f000000, 0x00000000,
            ],
        ),
    ];
    for (mode, bit_width, signed, narrow, want) in cases {
        let p = QuantParams { bit_width, signed, narrow, rounding: RoundingMode::parse(mode).unwrap() };
        let y = quant(&qx(0.5), &s(0.5), &s(0.0), p).unwrap();
        assert_eq!(bits(&y), want, "{mode} {bit_width} bits signed={signed} narrow={narrow}: {:?}", y.data);
    }
}

#[test]
fn quant_zero_point_rounds_in_float32_like_qonnx() {
    let p = QuantParams { bit_width: 6, signed: false, narrow: false, rounding: RoundingMode::Round };
    let y = quant(&qx(1.0), &s(0.1), &s(3.0), p).unwrap();
    let want: [u32; 20] = [
        0x3f000000, 0x3fc00000, 0x40200000, 0xbe99999a, 0xbe99999a, 0xbe99999a, 0x3f000000, 0xbe99999a, 0x3f800000,
        0x3e99999a, 0xbe99999a, 0x00000000, 0x00000000, 0x40c00000, 0xbe99999a, 0x40c00000, 0xbe99999a, 0x7fc00000,
        0x40c00000, 0xbe99999a,
    ];
    assert_eq!(bits(&y), want, "{:?}", y.data);
}

#[test]
fn quant_per_channel_scales_broadcast() {
    let p = QuantParams { bit_width: 5, signed: true, narrow: true, rounding: RoundingMode::HalfDown };
    let x = t(&[2, 10], &QX);
    let y = quant(&x, &t(&[2, 1], &[0.25, 0.75]), &s(0.0), p).unwrap();
    let want: [u32; 20] = [
        0x3f000000, 0x3fc00000, 0x40200000, 0xbf000000, 0xbfc00000, 0xc0200000, 0x3f000000, 0xbf000000, 0x3f800000,
        0x3e800000, 0xbf400000, 0x80000000, 0x80000000, 0x40f00000, 0xc11c0000, 0x41340000, 0xc1340000, 0x7fc00000,
        0x41340000, 0xc1340000,
    ];
    assert_eq!(bits(&y), want, "{:?}", y.data);
    assert!(quant(&x, &t(&[3], &[1.0, 1.0, 1.0]), &s(0.0), p).is_err());
}

#[test]
fn bipolar_quant_matches_qonnx() {
    let y = bipolar_quant(&qx(1.0), &s(0.375)).unwrap();
    let want: [u32; 20] = [
        0x3ec00000, 0x3ec00000, 0x3ec00000, 0xbec00000, 0xbec00000, 0xbec00000, 0x3ec00000, 0xbec00000, 0x3ec00000,
        0x3ec00000, 0xbec00000, 0x3ec00000, 0x3ec00000, 0x3ec00000, 0xbec00000, 0x3ec00000, 0xbec00000, 0xbec00000,
        0x3ec00000, 0xbec00000,
    ];
    assert_eq!(bits(&y), want, "{:?}", y.data);
}

#[test]
fn trunc_matches_qonnx_versions_1_and_2() {
    let x = qx(16.0);
    let v2 =
        TruncParams { shift: 4, output_bit_width: Some(4), signed: true, narrow: false, rounding: RoundingMode::Floor };
    let y = trunc(&x, &s(0.25), &s(0.0), &s(4.0), &s(0.0), v2).unwrap();
    let want: [u32; 20] = [
        0x41000000, 0x41c00000, 0x41e00000, 0xc1000000, 0xc1c00000, 0xc2000000, 0x41000000, 0xc1000000, 0x41800000,
        0x40800000, 0xc1400000, 0x00000000, 0x00000000, 0x41e00000, 0xc2000000, 0x41e00000, 0xc2000000, 0x7fc00000,
        0x41e00000, 0xc2000000,
    ];
    assert_eq!(bits(&y), want, "v2: {:?}", y.data);
    let v1 =
        TruncParams { shift: 4, output_bit_width: None, signed: true, narrow: false, rounding: RoundingMode::Round };
    let y = trunc(&x, &s(0.25), &s(0.0), &s(0.25), &s(0.0), v1).unwrap();
    let want: [u32; 20] = [
        0x3f000000, 0x3fc00000, 0x40200000, 0xbf000000, 0xbfc00000, 0xc0200000, 0x3f000000, 0xbf000000, 0x3f800000,
        0x3e800000, 0xbf400000, 0x00000000, 0x00000000, 0x40f00000, 0xc1180000, 0x42c80000, 0xc2c80000, 0x7fc00000,
        0x7f800000, 0xff800000,
    ];
    assert_eq!(bits(&y), want, "v1: {:?}", y.data);
}

#[test]
fn qdq_and_quantize_linear_match_onnxruntime() {
    // uint8, zero point 128, scale 0.0123; int8, zero point -3, scale 0.5 (NaN saturates low).
    let y = qdq(&qx(1.23), &s(0.0123), &s(128.0), 8, false).unwrap();
    let want: [u32; 20] = [
        0x3f1d70a4, 0x3fc7f2e4, 0x3fc7f2e4, 0xbf1d70a4, 0xbfc985f0, 0xbfc985f0, 0x3f1d70a4, 0xbf1d70a4, 0x3f9d70a4,
        0x3ebced91, 0xbf5c6a7e, 0x00000000, 0x00000000, 0x3fc7f2e4, 0xbfc985f0, 0x3fc7f2e4, 0xbfc985f0, 0xbfc985f0,
        0x3fc7f2e4, 0xbfc985f0,
    ];
    assert_eq!(bits(&y), want, "uint8: {:?}", y.data);
    let q = quantize_linear(&qx(1.23), &s(0.0123), &s(128.0), 8, false).unwrap();
    let want: [u32; 20] = [
        0x43320000, 0x437f0000, 0x437f0000, 0x429c0000, 0x00000000, 0x00000000, 0x43320000, 0x429c0000, 0x43640000,
        0x431e0000, 0x42680000, 0x43000000, 0x43000000, 0x437f0000, 0x00000000, 0x437f0000, 0x00000000, 0x00000000,
        0x437f0000, 0x00000000,
    ];
    assert_eq!(bits(&q), want, "uint8 codes: {:?}", q.data);
    let y = qdq(&qx(50.0), &s(0.5), &s(-3.0), 8, true).unwrap();
    let want: [u32; 20] = [
        0x41c80000, 0x42820000, 0x42820000, 0xc1c80000, 0xc27a0000, 0xc27a0000, 0x41c80000, 0xc1c80000, 0x42480000,
        0x41700000, 0xc20c0000, 0x00000000, 0x00000000, 0x42820000, 0xc27a0000, 0x42820000, 0xc27a0000, 0xc27a0000,
        0x42820000, 0xc27a0000,
    ];
    assert_eq!(bits(&y), want, "int8: {:?}", y.data);
    let q = quantize_linear(&qx(50.0), &s(0.5), &s(-3.0), 8, true).unwrap();
    let want: [u32; 20] = [
        0x423c0000, 0x42fe0000, 0x42fe0000, 0xc2540000, 0xc3000000, 0xc3000000, 0x423c0000, 0xc2540000, 0x42c20000,
        0x41d80000, 0xc2920000, 0xc0400000, 0xc0400000, 0x42fe0000, 0xc3000000, 0x42fe0000, 0xc3000000, 0xc3000000,
        0x42fe0000, 0xc3000000,
    ];
    assert_eq!(bits(&q), want, "int8 codes: {:?}", q.data);
    assert_eq!(dequantize_linear(&[-128, 0, 127], &[-3, -3, -3], &[0.5, 0.5, 0.5]), vec![-62.5, 1.5, 65.0]);
}

#[test]
fn dense_summation_orders_match_onnxruntime_kernels() {
    // K = 37 and N = 11 reach every remainder of the M = 1 kernels (groups of 4 and 8 products;
    // column blocks of 4, 2 and 1).
    let (k, n) = (37, 11);
    let x = t(&[1, k], &lcg(11, k as usize));
    let w = t(&[k, n], &lcg(12, (k * n) as usize));
    let b = t(&[n], &lcg(13, n as usize));
    let zero = t(&[n], &vec![0.0; n as usize]);
    let y = dense_with(&x, &w, &zero, DenseOrder::M1, false).unwrap();
    let want: [u32; 11] = [
        0x3fe3d63f, 0x404c8b1c, 0xc001620b, 0xbff21c66, 0x3f94eff2, 0xc04568c6, 0x3f495661, 0xc0475e3c, 0xc01d6470,
        0x40647923, 0x40474726,
    ];
    assert_eq!(bits(&y), want, "MatMul, M = 1 kernel");
    let y = dense_with(&x, &w, &b, DenseOrder::M1Transposed, true).unwrap();
    let want: [u32; 11] = [
        0x3ff40521, 0x403ffcf2, 0xc02c4a24, 0xc0243d27, 0x3fd1b05e, 0xc02209f5, 0x3e948dde, 0xc03d4b75, 0xc04da8b4,
        0x4040bbf4, 0x40137aae,
    ];
    assert_eq!(bits(&y), want, "Gemm transB, M = 1 transposed kernel");
    let y = dense_with(&x, &w, &b, DenseOrder::M1, true).unwrap();
    let want: [u32; 11] = [
        0x3ff40521, 0x403ffcf2, 0xc02c4a21, 0xc0243d27, 0x3fd1b05e, 0xc02209f5, 0x3e948de6, 0xc03d4b75, 0xc04da8b4,
        0x4040bbf3, 0x40137aaf,
    ];
    assert_eq!(bits(&y), want, "Gemm, M = 1 kernel");
    let k2 = 600;
    let x2 = t(&[1, k2], &lcg(21, k2 as usize));
    let w2 = t(&[k2, n], &lcg(22, (k2 * n) as usize));
    let y = dense_with(&x2, &w2, &b, DenseOrder::Packed, true).unwrap();
    let want: [u32; 11] = [
        0x4149274d, 0x4059d46f, 0x40e022aa, 0x4134d044, 0xc12a67f6, 0x40f3680c, 0x3f398c80, 0xc0528f15, 0x414da591,
        0x40b91812, 0xc0c12bb2,
    ];
    assert_eq!(bits(&y), want, "Gemm, prepacked, K = 600");
    // The orders are real: the same product summed differently differs in the last bits.
    assert_ne!(
        bits(&dense_with(&x, &w, &zero, DenseOrder::Packed, false).unwrap()),
        bits(&dense_with(&x, &w, &zero, DenseOrder::M1, false).unwrap())
    );
}
