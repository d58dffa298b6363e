//! Core IR tests: parse/print round trips, the verifier, pipeline parsing.

use fpgaopt_ir::parser::parse_module;
use fpgaopt_ir::printer::{print_module, PrintOptions};
use fpgaopt_ir::{verifier, Registry};

fn roundtrip(text: &str, opts: &PrintOptions) -> String {
    let reg = Registry::new();
    let m = parse_module(text, "t.mlir", &reg).unwrap_or_else(|d| panic!("{}", d.render(&Default::default())));
    verifier::verify(&m).unwrap_or_else(|e| panic!("{:?}", e));
    let out = print_module(&m, opts);
    let m2 = parse_module(&out, "t2.mlir", &reg).unwrap_or_else(|d| panic!("{}\n{out}", d.render(&Default::default())));
    assert_eq!(out, print_module(&m2, opts), "printing is not a fixed point");
    out
}

const LOOP: &str = r#"
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %k = arith.constant 2.5 : f32
  } {hls.pipeline_ii = 1 : i64}
  %w = "arith.constant"() {value = dense<[[1.0, 2.0, 3.0, 4.0]]> : tensor<1x4xf32>} : () -> tensor<1x4xf32>
  return %x : tensor<1x4xf32>
}
"#;

#[test]
fn custom_forms_round_trip() {
    let out = roundtrip(LOOP, &PrintOptions::default());
    assert!(out.contains("scf.for %i = %c0 to %c4 step %c1 {"), "{out}");
    assert!(out.contains("} {hls.pipeline_ii = 1}"), "{out}");
    assert!(out.contains("func.return %x : tensor<1x4xf32>"), "{out}");
}

#[test]
fn generic_form_round_trips() {
    let opts = PrintOptions { generic: true, ..Default::default() };
    let out = roundtrip(LOOP, &opts);
    assert!(out.contains("\"func.func\"() ({"), "{out}");
    assert!(out.contains("\"scf.yield\"() : () -> ()"), "{out}");
}

#[test]
fn large_constants_print_as_hex_and_round_trip_exactly() {
    let vals: Vec<String> = (0..40).map(|i| format!("{}.{}", i, i)).collect();
    let text = format!(
        "func.func @f() -> tensor<40xf32> {{\n  %w = arith.constant dense<[{}]> : tensor<40xf32>\n  return %w : tensor<40xf32>\n}}\n",
        vals.join(", ")
    );
    let out = roundtrip(&text, &PrintOptions::default());
    assert!(out.contains("dense<\"0x"), "{out}");
    let reg = Registry::new();
    let m = parse_module(&text, "t.mlir", &reg).unwrap();
    let elided = print_module(&m, &PrintOptions { elide_elements_larger: Some(10), ..Default::default() });
    assert!(elided.contains("dense_resource<__elided__> : tensor<40xf32>"), "{elided}");
    assert!(parse_module(&elided, "e.mlir", &reg).is_err());
}

#[test]
fn undefined_value_is_a_located_error() {
    let reg = Registry::new();
    let err = parse_module("func.func @f() {\n  return %nope : f32\n}\n", "bad.mlir", &reg).unwrap_err();
    let r = err.render(&Default::default());
    assert!(r.starts_with("bad.mlir:2:10: error: use of undefined value '%nope'"), "{r}");
}

#[test]
fn verifier_rejects_wrong_return() {
    let reg = Registry::new();
    let m = parse_module("func.func @f(%a: f32) -> f64 {\n  return %a : f32\n}\n", "v.mlir", &reg).unwrap();
    let errs = verifier::verify(&m).unwrap_err();
    assert!(errs[0].message.contains("'func.return' op has 1 operands, but enclosing function (@f) returns f64"), "{:?}", errs);
}

#[test]
fn malformed_text_never_panics() {
    let reg = Registry::new();
    for text in ["func.func @f(", "\"x.y\"() : () -> ()", "%0 = arith.constant dense<\"0x12\"> : tensor<4xf32>", "module {", "func.func @f() { ^bb0(%a: tensor<?xf32>): }", "%a:2 = arith.constant 1 : i32"] {
        assert!(parse_module(text, "m.mlir", &reg).is_err(), "{text}");
    }
}

mod pass_manager {
    use fpgaopt_ir::pass::{run_pipeline, Options, PassContext, PassInfo, PassOption, PassRegistry, NamedPipeline, RunOptions};
    use fpgaopt_ir::{Attribute, Diagnostic, Location, Module, Registry};

    static TAG: PassOption = PassOption { name: "value", help: "the tag", default: "x" };

    fn tag(m: &mut Module, o: &Options, _: &mut PassContext<'_>) -> Result<(), Diagnostic> {
        let top = m.top();
        let prev = m.attr(top, "test.tags").and_then(Attribute::as_str).unwrap_or("").to_string();
        m.set_attr(top, "test.tags", Attribute::str(format!("{prev}{}", o.get(&TAG))));
        Ok(())
    }

    fn fail(_: &mut Module, _: &Options, _: &mut PassContext<'_>) -> Result<(), Diagnostic> {
        Err(Diagnostic::error(Location::Unknown, "failed on purpose"))
    }

    static TAG_PASS: PassInfo =
        PassInfo { name: "tag", summary: "appends a tag", description: "", options: std::slice::from_ref(&TAG), run: tag };
    static FAIL_PASS: PassInfo = PassInfo { name: "fail", summary: "fails", description: "", options: &[], run: fail };
    static TWICE: NamedPipeline = NamedPipeline { name: "twice", summary: "", pipeline: "builtin.module(tag{value=a},tag{value=b})" };

    fn registry() -> PassRegistry {
        PassRegistry::new(vec![&TAG_PASS, &FAIL_PASS], vec![&TWICE])
    }

    fn run(text: &str) -> Result<String, String> {
        let passes = registry().parse_pipeline(text).map_err(|d| d.message)?;
        let reg = Registry::new();
        let mut m = Module::new(Location::Unknown);
        let mut ctx = PassContext { registry: &reg, input_path: "-", remarks: vec![] };
        let mut dumps = vec![];
        let opts = RunOptions { verify_each: true, print_after: vec!["tag".into()], ..Default::default() };
        run_pipeline(&mut m, &passes, &opts, &mut ctx, &mut |s| dumps.push(s)).map_err(|e| e[0].message.clone())?;
        assert_eq!(dumps.len(), passes.len());
        Ok(m.attr(m.top(), "test.tags").and_then(Attribute::as_str).unwrap_or("").to_string())
    }

    #[test]
    fn pipelines_run_in_order_with_options_and_named_pipelines_expand() {
        assert_eq!(run("builtin.module(tag{value=1},twice,tag)").unwrap(), "1abx");
        assert_eq!(run("tag{value=fixed<16, 6>}").unwrap(), "fixed<16, 6>");
    }

    #[test]
    fn bad_pipelines_are_diagnosed() {
        assert!(run("builtin.module(nope)").unwrap_err().contains("unknown pass or pipeline 'nope'"));
        assert!(run("builtin.module(tag{colour=red})").unwrap_err().contains("pass 'tag' has no option 'colour'"));
        assert!(run("builtin.module(tag").unwrap_err().contains("missing ')'"));
        assert!(run("builtin.module(tag{value=1)").is_err());
        assert_eq!(run("builtin.module(tag,fail)").unwrap_err(), "failed on purpose");
    }
}
