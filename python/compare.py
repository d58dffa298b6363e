#!/usr/bin/env python3
"""Compare two batches of model outputs (.npy), optionally against labels.

    python3 compare.py REF.npy OUT.npy [--labels Y.npy] [--ref-name onnxruntime] [--out-name csim]
                       [--min-agreement 0.99]

Prints, one per line: accuracy of each batch (with --labels), argmax agreement, max and mean
absolute error. Exits 1 if the shapes differ, an output is not finite, or the argmax agreement is
below --min-agreement (default 0: report only).
"""

import argparse
import sys

import numpy as np


def compare(ref, out, labels=None):
    """Returns a dict of metrics; raises ValueError if the batches cannot be compared."""
    ref = np.asarray(ref, dtype=np.float64)
    out = np.asarray(out, dtype=np.float64)
    if ref.shape != out.shape:
        raise ValueError(f"shape mismatch: reference {ref.shape} vs output {out.shape}")
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
    }
    if labels is not None:
        labels = np.asarray(labels).reshape(-1)
        if labels.shape[0] != n:
            raise ValueError(f"{labels.shape[0]} labels for {n} samples")
        metrics["ref_accuracy"] = float((ref2.argmax(axis=1) == labels).mean())
        metrics["out_accuracy"] = float((out2.argmax(axis=1) == labels).mean())
    return metrics


def main(argv=None):
    ap = argparse.ArgumentParser(description="compare two .npy output batches")
    ap.add_argument("ref")
    ap.add_argument("out")
    ap.add_argument("--labels")
    ap.add_argument("--ref-name", default="reference")
    ap.add_argument("--out-name", default="output")
    ap.add_argument("--min-agreement", type=float, default=0.0)
    args = ap.parse_args(argv)

    labels = np.load(args.labels) if args.labels else None
    try:
        m = compare(np.load(args.ref), np.load(args.out), labels)
    except ValueError as e:
        print(f"compare: error: {e}", file=sys.stderr)
        return 1
    if labels is not None:
        print(f"{args.ref_name} accuracy: {m['ref_accuracy']:.4f}")
        print(f"{args.out_name} accuracy: {m['out_accuracy']:.4f}")
    print(f"argmax agreement ({args.out_name} vs {args.ref_name}): {m['agreement']:.4f} "
          f"({round(m['agreement'] * m['samples'])}/{m['samples']})")
    print(f"max abs error: {m['max_abs_err']:.6g}, mean abs error: {m['mean_abs_err']:.6g}")
    if m["agreement"] < args.min_agreement:
        print(f"compare: error: argmax agreement {m['agreement']:.4f} is below {args.min_agreement}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
