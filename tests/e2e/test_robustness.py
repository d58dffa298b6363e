"""Bad input never crashes fpgaopt: mutated and truncated ONNX files and garbage MLIR text give
a diagnostic and exit code 1, never a panic (exit 101), a signal, or a hang."""

import random
from pathlib import Path

import onnx
import pytest

import fpgaopt_models

ZOO = Path(__file__).resolve().parents[3] / "shared" / "models" / "zoo"
PIPELINE = "--pass-pipeline=builtin.module(onnx-to-hls)"


def _sources(tmp_path):
    paths = []
    for name in ("jet_tagger", "gemm_bn", "act_softmax_last"):
        p = tmp_path / f"{name}.onnx"
        onnx.save(fpgaopt_models.MODELS[name](), p)
        paths.append(p)
    paths += sorted(ZOO.glob("*.onnx"))
    return paths


def _assert_clean(proc, what):
    assert proc.returncode in (0, 1), f"{what}: exit {proc.returncode}\n{proc.stderr[-3000:]}"
    assert "panicked" not in proc.stderr, f"{what}: {proc.stderr[-3000:]}"
    if proc.returncode == 1:
        assert "error" in proc.stderr, f"{what}: failed without a diagnostic"


def test_mutated_onnx_files_never_crash(fpgaopt, tmp_path):
    rng = random.Random(20261123)
    sources = _sources(tmp_path)
    for i in range(150):
        src = rng.choice(sources)
        data = bytearray(src.read_bytes())
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.2:
            data = data[: rng.randrange(len(data))]
        bad = tmp_path / "mutated.onnx"
        bad.write_bytes(bytes(data))
        _assert_clean(fpgaopt.run(bad, PIPELINE, timeout=60), f"mutation {i} of {src.name}")


def test_garbage_mlir_never_crashes(fpgaopt, tmp_path):
    rng = random.Random(7)
    good = (Path(__file__).resolve().parents[2] / "lit-tests" / "Tools" / "run.mlir").read_text()
    alphabet = '%^@!#"(){}[]<>:,=-0123456789xf.abcdefghijklmnopqrstuvwxyz \n'
    for i in range(150):
        text = list(good)
        for _ in range(rng.randint(1, 6)):
            text[rng.randrange(len(text))] = rng.choice(alphabet)
        bad = tmp_path / "garbage.mlir"
        bad.write_text("".join(text))
        _assert_clean(fpgaopt.run(bad, PIPELINE.replace("onnx-to-hls", "nn-canonicalize,nn-to-qdf,qdf-to-hls"),
                                  timeout=60), f"mutation {i}")
