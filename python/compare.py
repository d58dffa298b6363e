#!/usr/bin/env python3
"""Compare two batches of model outputs (.npy), optionally against labels.

    python3 compare.py REF.npy OUT.npy [--labels Y.npy] [--ref-name onnxruntime] [--out-name csim]
                       [--min-agreement 0.99] [--require-identical]

Prints, one per line: accuracy of each batch (with --labels, as a fraction and a count), argmax
agreement, bit-identical outputs (when any, or with --require-identical), max and mean absolute
error. Exits 1 if the shapes differ, an
output is not finite, the argmax agreement is below --min-agreement (default 0: report only), or
with --require-identical some output differs from the reference in any bit.
"""

import argparse
import sys

import numpy as np


def compare(ref, out, labels=None):
    """Returns a dict of metrics; raises ValueError if the batches cannot be compared."""
    if np.shape(ref) != np.shape(out):
        raise ValueError(f"shape mismatch: reference {np.shape(ref)} vs output {np.shape(out)}")
    identical = int(np.sum(np.asarray(ref, dtype=np.float32).view(np.uint32)
                           == np.asarray(out, dtype=np.float32).view(np.uint32)))
    ref = np.asarray(ref, dtype=np.float64)
    out = np.asarray(out, dtype=np.float64)
    if not np.all(np.isfinite(out)):
        raise ValueError("output contains NaN or infinity")
    n = ref.shape[0]
    ref2, out2 = ref.reshape(n, -1), out.reshape(n, -1)
    diff = np.abs(ref2 - out2)
    metrics = {
        "samples": n,
        "agreement": float((ref2.argmax(axis=1) == out2.argmax(axis=1)).mean()) if n else 1.0,
        "max_abs_err": float(diff.max()) if diff.size else 0.0,
        "mean_abs_err": float(diff.mean()) if diff.size else 0.0,
        "max_abs_ref": float(np.abs(ref2).max()) if ref2.size else 0.0,
        "identical": identical,
        "elements": int(ref2.size),
    }
    if labels is not None:
        labels = np.asarray(labels).reshape(-1)
        if labels.shape[0] != n:
            raise ValueError(f"{labels.shape[0]} labels for {n} samples")
        metrics["ref_correct"] = int((ref2.argmax(axis=1) == labels).sum())
        metrics["out_correct"] = int((out2.argmax(axis=1) == labels).sum())
        metrics["ref_accuracy"] = metrics["ref_correct"] / n if n else 1.0
        metrics["out_accuracy"] = metrics["out_correct"] / n if n else 1.0
    return metrics


def main(argv=None):
    ap = argparse.ArgumentParser(description="compare two .npy output batches")
    ap.add_argument("ref")
    ap.add_argument("out")
    ap.add_argument("--labels")
    ap.add_argument("--ref-name", default="reference")
    ap.add_argument("--out-name", default="output")
    ap.add_argument("--min-agreement", type=float, default=0.0)
    ap.add_argument("--require-identical", action="store_true",
                    help="fail unless every output equals the reference bit for bit")
    args = ap.parse_args(argv)

    labels = np.load(args.labels) if args.labels else None
    try:
        m = compare(np.load(args.ref), np.load(args.out), labels)
    except ValueError as e:
        print(f"compare: error: {e}", file=sys.stderr)
        return 1
    if labels is not None:
        n = m["samples"]
        print(f"{args.ref_name} accuracy: {m['ref_accuracy']:.4f} ({m['ref_correct']}/{n})")
        print(f"{args.out_name} accuracy: {m['out_accuracy']:.4f} ({m['out_correct']}/{n})")
    print(f"argmax agreement ({args.out_name} vs {args.ref_name}): {m['agreement']:.4f} "
          f"({round(m['agreement'] * m['samples'])}/{m['samples']})")
    if args.require_identical or m["identical"]:
        print(f"bit-identical outputs: {m['identical']}/{m['elements']}")
    print(f"max abs error: {m['max_abs_err']:.6g}, mean abs error: {m['mean_abs_err']:.6g}")
    if args.require_identical and m["identical"] != m["elements"]:
        print(f"compare: error: {m['elements'] - m['identical']} outputs differ from {args.ref_name}",
              file=sys.stderr)
        return 1
    if m["agreement"] < args.min_agreement:
        print(f"compare: error: argmax agreement {m['agreement']:.4f} is below {args.min_agreement}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
