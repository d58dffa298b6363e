//! Generated `nn` models that need the e-graph rules, for tests and the benchmark
//! (`cargo run --release --example eqsat_bench`).

/// Pseudo-random values in [-2, 2] (xorshift, fixed seed).
pub struct Rng(pub u64);
impl Rng {
    /// The next value.
    pub fn next(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % 4001) as f32 / 1000.0 - 2.0
    }
    /// `n` values mapped by `f`, as MLIR float literals.
    pub fn list(&mut self, n: usize, f: impl Fn(f32) -> f32) -> String {
        (0..n).map(|_| format!("{:?}", f(self.next()))).collect::<Vec<_>>().join(", ")
    }
}

/// A random MLP that needs the rules: Gemm + BatchNorm, scale chains, scales before ReLU, biases
/// added after the layer; with `quantized`, QONNX quantizers on activations and power-of-two scales.
pub fn random_model(layers: usize, width: usize, seed: u64, quantized: bool) -> String {
    let mut r = Rng(seed);
    let mut s = format!("func.func @main(%x: tensor<1x{width}xf32>) -> tensor<1x{width}xf32> {{\n");
    let t = format!("tensor<1x{width}xf32>");
    let vec = |r: &mut Rng, f: &dyn Fn(f32) -> f32| format!("dense<[{}]> : tensor<{width}xf32>", r.list(width, f));
    let mut cur = "%x".to_string();
    for i in 0..layers {
        let w = r.list(width * width, |v| v / 4.0);
        s += &format!("  %w{i} = \"nn.constant\"() {{value = dense<[{w}]> : tensor<{width}x{width}xf32>}} : () -> tensor<{width}x{width}xf32>\n");
        s += &format!("  %b{i} = \"nn.constant\"() {{value = {}}} : () -> tensor<{width}xf32>\n", vec(&mut r, &|v| v / 8.0));
        s += &format!("  %d{i} = \"nn.dense\"({cur}, %w{i}, %b{i}) : ({t}, tensor<{width}x{width}xf32>, tensor<{width}xf32>) -> {t}\n");
        cur = format!("%d{i}");
        let scale: &dyn Fn(f32) -> f32 = if quantized { &|v: f32| 2f32.powi((v * 2.0) as i32) } else { &|v: f32| v.abs() + 0.25 };
        match i % 3 {
            0 => {
                for (n, f) in [("g", scale), ("h", &|v: f32| v / 4.0), ("m", &|v: f32| v / 4.0), ("v", &|v: f32| v.abs() + 0.5)] {
                    s += &format!("  %{n}{i} = \"nn.constant\"() {{value = {}}} : () -> tensor<{width}xf32>\n", vec(&mut r, f));
                }
                s += &format!("  %n{i} = \"nn.batch_norm\"({cur}, %g{i}, %h{i}, %m{i}, %v{i}) {{epsilon = 1.0e-5}} : ({t}, tensor<{width}xf32>, tensor<{width}xf32>, tensor<{width}xf32>, tensor<{width}xf32>) -> {t}\n");
                cur = format!("%n{i}");
            }
            1 => {
                s += &format!("  %s{i} = \"nn.constant\"() {{value = {}}} : () -> tensor<{width}xf32>\n", vec(&mut r, scale));
                s += &format!("  %t{i} = \"nn.constant\"() {{value = {}}} : () -> tensor<{width}xf32>\n", vec(&mut r, scale));
                s += &format!("  %p{i} = \"nn.mul\"({cur}, %s{i}) : ({t}, tensor<{width}xf32>) -> {t}\n");
                s += &format!("  %q{i} = \"nn.mul\"(%p{i}, %t{i}) : ({t}, tensor<{width}xf32>) -> {t}\n");
                cur = format!("%q{i}");
            }
            _ => {
                s += &format!("  %c{i} = \"nn.constant\"() {{value = {}}} : () -> tensor<{width}xf32>\n", vec(&mut r, &|v| v / 8.0));
                s += &format!("  %a{i} = \"nn.add\"({cur}, %c{i}) : ({t}, tensor<{width}xf32>) -> {t}\n");
                cur = format!("%a{i}");
            }
        }
        s += &format!("  %r{i} = \"nn.relu\"({cur}) : ({t}) -> {t}\n");
        cur = format!("%r{i}");
        if quantized {
            s += &format!("  %qs{i} = \"nn.constant\"() {{value = dense<0.125> : tensor<f32>}} : () -> tensor<f32>\n");
            s += &format!("  %qz{i} = \"nn.constant\"() {{value = dense<0.0> : tensor<f32>}} : () -> tensor<f32>\n");
            s += &format!("  %qq{i} = \"nn.quant\"({cur}, %qs{i}, %qz{i}) {{bit_width = 6, narrow = false, rounding_mode = \"ROUND\", signed = false}} : ({t}, tensor<f32>, tensor<f32>) -> {t}\n");
            cur = format!("%qq{i}");
        }
    }
    s += &format!("  func.return {cur} : {t}\n}}\n");
    s
}

