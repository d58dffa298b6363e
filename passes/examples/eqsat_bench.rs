//! Times `nn-eqsat` on generated 50-layer models (float and quantized): build, saturate, extract.
//! `cargo run --release -p fpgaopt-passes --example eqsat_bench [layers] [width] [runs]`; numbers go
//! to docs/benchmarks.md.

use std::time::Instant;

use fpgaopt_ir::parser::parse_module;
use fpgaopt_ir::pass::{Options, PassContext};
use fpgaopt_ir::printer::{print_module, PrintOptions};
use fpgaopt_passes::eqsat::{models::random_model, NN_EQSAT};

fn main() {
    let arg = |i: usize, d: usize| std::env::args().nth(i).and_then(|a| a.parse().ok()).unwrap_or(d);
    let (layers, width, runs) = (arg(1, 50), arg(2, 32), arg(3, 5));
    let registry = fpgaopt_passes::dialects();
    for quantized in [false, true] {
        let text = random_model(layers, width, 11, quantized);
        let mut times = vec![];
        let mut outputs = vec![];
        for _ in 0..runs {
            let mut m = parse_module(&text, "bench.mlir", &registry).expect("model parses");
            let f = m.functions()[0];
            let before = m.count_ops(f);
            let mut ctx = PassContext { registry: &registry, input_path: "bench.mlir", remarks: vec![] };
            let start = Instant::now();
            (NN_EQSAT.run)(&mut m, &Options::default(), &mut ctx).expect("pass runs");
            times.push(start.elapsed().as_secs_f64() * 1e3);
            outputs.push(print_module(&m, &PrintOptions::default()));
            if outputs.len() == 1 {
                println!("{} model: {layers} layers of width {width}, {before} ops -> {} ops", if quantized { "quantized" } else { "float" }, m.count_ops(f));
                println!("  {}", ctx.remarks[0].message);
            }
        }
        times.sort_by(f64::total_cmp);
        let same = outputs.windows(2).all(|w| w[0] == w[1]);
        println!("  nn-eqsat: median {:.1} ms, min {:.1} ms, max {:.1} ms over {runs} runs; identical outputs: {same}", times[runs / 2], times[0], times[runs - 1]);
    }
}
