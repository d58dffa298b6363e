#!/usr/bin/env python3
"""Accumulator widths: fpgaopt (nn-to-qdf + qdf-narrow, from report.json) next to hls4ml's.

    .venv/bin/python python/compare_hls4ml_precision.py [--output docs/precision-vs-hls4ml.md]

Models: the six QONNX zoo models (`../shared/models/zoo/` beside the repository, or --zoo DIR) and the QAT digits MLP of
python/qat_digits.py (trained here, about 1 s). For each:

- hls4ml 1.3: qonnx cleanup, ConvertToChannelsLastAndClean, GemmToMatMul, cleanup (what hls4ml's
  QONNX documentation asks for), `hls4ml.utils.config_from_onnx_model(model, granularity='name',
  backend='Vitis', default_precision='fixed<16,6>')`, then `hls4ml.converters.convert_from_onnx_model`,
  which runs its type inference (InferPrecisionTypes) on the 'auto' precisions; each Dense layer's
  `accum_t` width. A model hls4ml cannot convert is listed with its error.
- fpgaopt: `fpgaopt compile` (the default pipeline, which includes qdf-narrow) and each dense
  layer's `acc_type` from report.json; the "nn-to-qdf" column is the accumulator nn-to-qdf chose
  before qdf-narrow (the value-based rule with the input type's largest magnitude).

Options per model: the jet tagger's input is float; hls4ml quantizes it to its default precision
fixed<16,6>, so fpgaopt gets the same input type (config `{"input": "fixed<16,6>"}`) and its first
layer becomes integer too. kwsmlp and unsw_nb15 use `inexact-sums=integer`: by default fpgaopt keeps
their non-power-of-two-scaled layers as the reference's own float32 sums (bit-identical to qonnx,
float hardware, no fixed-point accumulator to compare); the integer form is what is compared.

Layers are matched in order (the i-th dense layer of each); totals add the layers both tools have.

The two models hls4ml 1.3 does not convert as they are:

- unsw_nb15-mlp-w2a2 fails with `RuntimeError: Unexpected new precision type: NamedType`. Its input
  goes through `(x + 1) / 2` (Add, Div by constants) before the first MatMul. hls4ml turns the Div
  into an ApplyAlpha with `bias_precision=uint<1>` (merge_const.py, MergeToApplyAlphaDiv), and
  `Layer._validate_attributes` (layers.py) wraps that PrecisionType attribute into a NamedType.
  ScaleDownMatMul (move_scales.py) then moves the ApplyAlpha below the MatMul by copying its
  attributes, `bias_precision` included (it is dropped only on the nonzero-bias path), and the new
  ApplyAlpha's `add_bias` hands the NamedType to `WeightVariable.update_precision` (types.py), which
  accepts only PrecisionType objects. So here hls4ml gets the model with that input preprocessing
  split off (`split_input_preprocessing`: the (x + 1) / 2 runs before the accelerator, as on a
  host); every node after it is unchanged, and it converts. Its first layer's input is then unquantized and hls4ml gives it the default
  fixed<16,6>; fpgaopt keeps that layer as a float32 sum (its input has no quantizer), so the first
  layer is not compared and the totals cover layers 2-4, whose inputs are the same quantized
  activations in both.
- kwsmlp_w3a3 fails with `IndexError: list index out of range` and is not converted. Its first three
  weight quantizers have per-output-channel, non-power-of-two scales (shape [256, 1]).
  ConstQuantToConstAlpha (quant_opt.py) replaces each such Quant by the integer weight Constant and an
  ApplyAlpha whose scale is broadcast to the whole weight shape ([490, 256]); ScaleDownMatMul
  (move_scales.py) cannot broadcast that to the MatMul's output ([1, 256]), warns "Failed to propagate
  quantization scales down MatMul node; model probably not suppored" and leaves the MatMul with a
  non-constant weight input, so MatMulConstToDense does not make it a Dense, the weight Constant stays
  in the graph, and InferPrecisionTypes.match calls `get_input_variable()` on that input-less Constant
  (layers.py: `self.inputs[0]`). No preprocessing tried makes a faithful model of it: qonnx's
  ExtractQuantScaleZeroPt (scale into Div/Mul nodes) fails in hls4ml's MergeTwoConstants
  ("Cannot delete a node with multiple inputs/outputs"); folding the weight quantizers into float
  initializers (FoldConstants(exclude_op_types=[])) converts, but hls4ml then stores the weights in
  its default fixed<16,6> (16 bits, truncated, not the 3-bit grid) and computes a different
  network, so those accumulators (51, 28, 28, 28 bits) are not compared. Splitting off the input,
  Flatten or the preprocessing does not touch the per-channel weight scales.
"""

import argparse
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ZOO = ["TFC_1W1A", "TFC_1W2A", "TFC_2W2A", "qkeras_jettagging", "kwsmlp_w3a3", "unsw_nb15-mlp-w2a2"]
FLOAT_INPUT = {"qkeras_jettagging": "fixed<16,6>"}
INTEGER_FORM = {"kwsmlp_w3a3", "unsw_nb15-mlp-w2a2"}
# hls4ml gets these models without the elementwise preprocessing at their input (docstring).
SPLIT_PREPROCESSING = {"unsw_nb15-mlp-w2a2": ["Add", "Div"]}


def fpgaopt_bin():
    return Path(os.environ.get("FPGAOPT_BIN") or REPO / "target" / "release" / "fpgaopt")


def default_models(zoo=REPO.parent / "shared" / "models" / "zoo"):
    """(name, onnx path or None to train the QAT model) for every compared model."""
    models = [(name, zoo / f"{name}.onnx") for name in ZOO if (zoo / f"{name}.onnx").is_file()]
    return models + [("qat_digits", None)]


def _train_qat(workdir):
    subprocess.run([sys.executable, str(REPO / "python" / "qat_digits.py"), str(workdir), "--no-reference"],
                   check=True, capture_output=True, text=True)
    return Path(workdir) / "digits_qat.onnx"


def split_input_preprocessing(m):
    """Drop the elementwise Add/Sub/Mul/Div-by-constant chain at the graph input (unsw_nb15's (x + 1) / 2,
    which maps its bipolar input to {0, 1}); the tensor after it becomes the graph input. The nodes
    after it are untouched. Returns the dropped op types."""
    from onnx import TensorProto, helper

    g = m.graph
    inp = g.input[0]
    shape = m.get_tensor_shape(inp.name)
    cur, dropped = inp.name, []
    while True:
        consumers = [n for n in g.node if cur in n.input]
        if len(consumers) != 1 or consumers[0].op_type not in ("Add", "Sub", "Mul", "Div"):
            break
        n = consumers[0]
        if list(n.input).index(cur) != 0 or m.get_initializer(n.input[1]) is None:
            break
        g.node.remove(n)
        dropped.append(n.op_type)
        cur = n.output[0]
    if dropped:
        for vi in [v for v in g.value_info if v.name == cur]:
            g.value_info.remove(vi)
        g.input.remove(inp)
        g.input.insert(0, helper.make_tensor_value_info(cur, TensorProto.FLOAT, shape))
    return dropped


def hls4ml_accums(path, workdir, name=None):
    """[(layer name, accum type text, width)] of hls4ml's Dense layers, or raises."""
    warnings.filterwarnings("ignore")
    import hls4ml
    import qonnx.util.cleanup
    from qonnx.core.modelwrapper import ModelWrapper
    from qonnx.transformation.channels_last import ConvertToChannelsLastAndClean
    from qonnx.transformation.gemm_to_matmul import GemmToMatMul

    with contextlib.redirect_stdout(io.StringIO()):
        m = ModelWrapper(str(path))
        m = qonnx.util.cleanup.cleanup_model(m)
        if name in SPLIT_PREPROCESSING:
            assert split_input_preprocessing(m) == SPLIT_PREPROCESSING[name], name
            m = qonnx.util.cleanup.cleanup_model(m)
        m = m.transform(ConvertToChannelsLastAndClean())
        m = m.transform(GemmToMatMul())
        m = qonnx.util.cleanup.cleanup_model(m)
        cfg = hls4ml.utils.config_from_onnx_model(m, granularity="name", backend="Vitis",
                                                  default_precision="fixed<16,6>")
        hm = hls4ml.converters.convert_from_onnx_model(m, hls_config=cfg, output_dir=str(workdir / "hls4ml"),
                                                       backend="Vitis")
    out = []
    for layer in hm.get_layers():
        if layer.class_name != "Dense":
            continue
        p = layer.get_attr("accum_t").precision
        out.append((layer.name, str(p), int(p.width)))
    return out


def _fixed_width(text):
    m = re.match(r"ap_u?(?:fixed|int)<(\d+)", text)
    return int(m.group(1)) if m else None


def fpgaopt_accums(name, path, workdir):
    """[(layer name, acc type, width, nn-to-qdf's width, acc_range_value)] of fpgaopt's dense layers."""
    exe = fpgaopt_bin()
    opts = []
    nn_to_qdf = []
    if name in FLOAT_INPUT:
        cfg = workdir / "input.json"
        cfg.write_text(json.dumps({"input": FLOAT_INPUT[name]}))
        opts += ["--config", str(cfg)]
        nn_to_qdf.append(f"config={cfg}")
    if name in INTEGER_FORM:
        opts += ["--inexact-sums", "integer"]
        nn_to_qdf.append("inexact-sums=integer")
    prj = workdir / "fpgaopt"
    subprocess.run([str(exe), "compile", str(path), "-o", str(prj), *opts], check=True, capture_output=True, text=True)
    report = json.loads((prj / "report.json").read_text())
    before_ir = subprocess.run(
        [str(exe), str(path), "--mlir-elide-elementsattrs-if-larger=1",
         f"--pass-pipeline=builtin.module(import-onnx,nn-canonicalize,nn-to-qdf{{{' '.join(nn_to_qdf)}}})"],
        check=True, capture_output=True, text=True).stdout
    before = [int(w) if w else None for w in re.findall(r'"qdf\.(?:dense|fdense)"[^\n]*?(?:acc_type = !qdf\.fixed<(\d+)|order = ")', before_ir)]
    out = []
    for layer in report["layers"]:
        if layer["op"] not in ("dense", "fdense"):
            continue
        acc = layer.get("acc_type", "float")
        out.append((layer["name"], acc, _fixed_width(acc), layer.get("acc_range_value")))
    return [(n, a, w, before[i] if i < len(before) else None, r) for i, (n, a, w, r) in enumerate(out)]


def compare(models, workdir=None):
    """One row per model: its layers side by side, totals, hls4ml's error if any."""
    rows = []
    with tempfile.TemporaryDirectory() if workdir is None else contextlib.nullcontext(workdir) as tmp:
        tmp = Path(tmp)
        for name, path in models:
            d = tmp / name
            d.mkdir(parents=True, exist_ok=True)
            if path is None:
                path = _train_qat(d)
            ours = fpgaopt_accums(name, path, d)
            try:
                theirs, error = hls4ml_accums(path, d, name), None
            except Exception as e:  # hls4ml's own failure, reported as is
                theirs, error = [], re.sub(r" at 0x[0-9a-f]+", "", f"{type(e).__name__}: {str(e).splitlines()[0][:160]}")
            layers = []
            for i in range(max(len(ours), len(theirs))):
                o = ours[i] if i < len(ours) else (None, None, None, None, None)
                t = theirs[i] if i < len(theirs) else (None, None, None)
                layers.append({"fpgaopt_layer": o[0], "fpgaopt_type": o[1], "fpgaopt": o[2], "nn_to_qdf": o[3],
                               "range": o[4], "hls4ml_layer": t[0], "hls4ml_type": t[1], "hls4ml": t[2]})
            both = [x for x in layers if x["fpgaopt"] is not None and x["hls4ml"] is not None]
            rows.append({"model": name, "layers": layers, "hls4ml_error": error,
                         "fpgaopt_total": sum(x["fpgaopt"] for x in both) if both else None,
                         "hls4ml_total": sum(x["hls4ml"] for x in both) if both else None,
                         "fpgaopt_all": sum(x["fpgaopt"] for x in layers if x["fpgaopt"] is not None),
                         "nn_to_qdf_all": sum(x["nn_to_qdf"] for x in layers if x["nn_to_qdf"] is not None)})
    return rows


def _fmt_range(r):
    return "" if not r else f"[{r[0]:g}, {r[1]:g}]"


def markdown(rows):
    out = ["| model | layer (fpgaopt / hls4ml) | hls4ml accum | fpgaopt accum | bits: hls4ml | fpgaopt | nn-to-qdf alone | proven accumulator range |",
           "|---|---|---|---|---:|---:|---:|---|"]
    for r in rows:
        for x in r["layers"]:
            h = x["hls4ml_type"] or ("not converted" if r["hls4ml_error"] else "-")
            out.append(f"| {r['model']} | {x['fpgaopt_layer'] or '-'} / {x['hls4ml_layer'] or '-'} | `{h}` | "
                       f"`{x['fpgaopt_type'] or '-'}` | {x['hls4ml'] if x['hls4ml'] is not None else '-'} | "
                       f"{x['fpgaopt'] if x['fpgaopt'] is not None else '-'} | "
                       f"{x['nn_to_qdf'] if x['nn_to_qdf'] is not None else '-'} | {_fmt_range(x['range'])} |")
    out += ["", "| model | total hls4ml | total fpgaopt (same layers) | total fpgaopt (all layers) | nn-to-qdf alone | hls4ml |",
            "|---|---:|---:|---:|---:|---|"]
    for r in rows:
        status = "converted" if r["hls4ml_error"] is None else f"failed: `{r['hls4ml_error']}`"
        if r["hls4ml_error"] is None and r["model"] in SPLIT_PREPROCESSING:
            status += " (input preprocessing split off, see the notes)"
        out.append(f"| {r['model']} | {r['hls4ml_total'] if r['hls4ml_total'] is not None else '-'} | "
                   f"{r['fpgaopt_total'] if r['fpgaopt_total'] is not None else '-'} | {r['fpgaopt_all']} | "
                   f"{r['nn_to_qdf_all']} | {status} |")
    return "\n".join(out) + "\n"


HEADER = """# Accumulator widths: fpgaopt next to hls4ml

Generated by `.venv/bin/python python/compare_hls4ml_precision.py --output docs/precision-vs-hls4ml.md`
(hls4ml {hls4ml}, qonnx cleanup + ConvertToChannelsLastAndClean + GemmToMatMul, then
`config_from_onnx_model(granularity='name', default_precision='fixed<16,6>')` and
`convert_from_onnx_model`, whose InferPrecisionTypes sets every 'auto' accumulator; fpgaopt: `fpgaopt
compile`, accumulators from `report.json`). How each side is set up, and why the jet tagger's input is
`fixed<16,6>` and kwsmlp/unsw_nb15 are in their integer form: the script's docstring. Bits are the
accumulator's total width W; "nn-to-qdf alone" is the accumulator before `qdf-narrow` (float32 layers
count as nothing there). The proven range is the hull of every partial sum of every column
(`acc_range_value` in report.json). `tests/e2e/test_precision_narrowing.py` checks, for every model
hls4ml converts, fpgaopt <= hls4ml per layer and a strictly smaller total. Where hls4ml's
inference leaves an accumulator at the default precision (TFC_1W2A: `fixed<16,6>`), that is the
type its generated code uses, and the table shows it as such.

Notes on the two models hls4ml 1.3 does not convert as they are (details and the failing code
paths: the script's docstring):

- unsw_nb15-mlp-w2a2: as given, hls4ml fails with `RuntimeError: Unexpected new precision type:
  NamedType`: the ApplyAlpha it makes of the input's `/ 2` carries `bias_precision` (wrapped into a
  NamedType by `Layer._validate_attributes`), ScaleDownMatMul copies it when moving that ApplyAlpha
  below the first MatMul, and `WeightVariable.update_precision` rejects it. hls4ml therefore gets the
  model with the input preprocessing `(x + 1) / 2` (Add, Div) split off, everything after it
  unchanged. Its first layer's input is then hls4ml's default `fixed<16,6>`, while fpgaopt keeps that
  layer as a float32 sum (no quantizer on its input): the first layer is not compared, the totals
  cover layers 2-4.
- kwsmlp_w3a3: not converted, `IndexError: list index out of range`. Its per-output-channel,
  non-power-of-two weight scales become an ApplyAlpha broadcast to the full weight shape, which
  ScaleDownMatMul cannot move below the MatMul ("Failed to propagate quantization scales down MatMul
  node"); the MatMul never becomes a Dense and InferPrecisionTypes trips over the left-over, input-less
  weight Constant. qonnx's ExtractQuantScaleZeroPt fails in hls4ml's MergeTwoConstants; folding the
  weight quantizers into float initializers converts but makes hls4ml store the weights as
  `fixed<16,6>` (a different, 16-bit-weight network), so nothing is compared.

"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--zoo", type=Path, default=REPO.parent / "shared" / "models" / "zoo")
    ap.add_argument("--output", type=Path)
    args = ap.parse_args()
    import hls4ml

    rows = compare(default_models(args.zoo))
    text = HEADER.format(hls4ml=hls4ml.__version__) + markdown(rows)
    if args.output:
        args.output.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
