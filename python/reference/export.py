#!/usr/bin/env python3
"""Export the reference INTR to ONNX with a seeded input and PyTorch goldens.

  export.py --config NAME --out DIR [--opset N]
            [--exporter torchscript|dynamo|dynamo-unoptimized]
            [--seed S] [--batch B]
  export.py --check DIR [--onnx-only]

An export writes DIR/model.onnx (input `image`; outputs `logits`, `attention`,
`avg_attention`; fixed shapes, weights inline), DIR/image.npy, the goldens
DIR/{logits,attention,avg_attention}.npy (float32, from the PyTorch forward)
and DIR/config.json (everything needed to re-create the export).

--check re-creates the model from DIR/config.json, exports again into a
temporary folder and compares the arrays with the committed ones (max abs
difference must be < 1e-5); it also validates the committed ONNX with
onnx.checker and runs it with onnxruntime or onnx's reference evaluator when
either is installed (tolerance 1e-4). --onnx-only skips the re-export, so that
an interpreter with onnxruntime can check files another torch wrote.

See python/reference/README.md.
"""

from __future__ import annotations

import argparse
import collections
import inspect
import json
import os
import re
import sys
import tempfile
import time
import warnings
from typing import Dict, List, Optional, Tuple

sys.dont_write_bytecode = True  # keep python/ free of __pycache__

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intr_model import INTRConfig, attention_stats, build_model, get_config, make_input  # noqa: E402

INPUT_NAME = "image"
OUTPUT_NAMES = ["logits", "attention", "avg_attention"]
ARRAYS = [INPUT_NAME] + OUTPUT_NAMES
# Re-export vs committed, with the same torch: machines with other vector
# units sum in other orders (two op18 fixtures re-export within 3.3e-6 on
# another CPU); a change to the model or exporter moves far more.
GOLDEN_TOL = 1e-5
ONNX_TOL = 1e-4  # an ONNX executor vs the PyTorch goldens
# dynamo-unoptimized: the dynamo exporter with its optimizer off
# (optimize=False), as users turn it off; torch.split then stays
# SplitToSequence and SequenceAt, and shape arithmetic stays unfolded.
DEFAULT_OPSET = {"torchscript": 14, "dynamo": 18, "dynamo-unoptimized": 18}


def _torch_major() -> int:
    return int(torch.__version__.split(".")[0])


def _require_exporter(exporter: str) -> None:
    if exporter not in DEFAULT_OPSET:
        raise SystemExit(f"error: unknown exporter {exporter!r}")
    if exporter.startswith("dynamo") and (
            _torch_major() < 2 or "dynamo" not in inspect.signature(torch.onnx.export).parameters):
        raise SystemExit(
            f"error: --exporter dynamo needs torch >= 2.5 (torch.onnx.export(..., dynamo=True)); "
            f"this interpreter ({sys.executable}) has torch {torch.__version__}. "
            f"Run it with a torch 2.x interpreter, e.g. $TORCH2_PYTHON.")


def _onnx_export(model: torch.nn.Module, image: torch.Tensor, path: str, opset: int,
                 exporter: str, batchnorm: str) -> None:
    kwargs = dict(input_names=[INPUT_NAME], output_names=OUTPUT_NAMES, opset_version=opset)
    has_dynamo_flag = "dynamo" in inspect.signature(torch.onnx.export).parameters
    if exporter == "torchscript":
        if has_dynamo_flag:
            kwargs["dynamo"] = False  # torch >= 2.9 defaults to the dynamo exporter
        if batchnorm == "module":
            # In EVAL mode the exporter folds each BatchNorm2d into the Conv
            # before it; PRESERVE (the model is still in eval mode) keeps them
            # as BatchNormalization nodes, which is what this mode is for.
            kwargs["training"] = torch.onnx.TrainingMode.PRESERVE
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer warnings about shape-derived Python ints
            torch.onnx.export(model, (image,), path, do_constant_folding=True, **kwargs)
        return
    _require_exporter(exporter)
    import logging
    logging.getLogger("onnxscript").setLevel(logging.ERROR)  # per-node optimizer chatter
    program = torch.onnx.export(model, (image,), dynamo=True, optimize=exporter == "dynamo",
                                verbose=False, **kwargs)
    save_dynamo_export(program, path)


def save_dynamo_export(program, path: str) -> None:
    """Saves what torch.onnx.export(dynamo=True) returned, weights inline.

    Each node carries five metadata strings, among them the Python stack
    trace with absolute paths and line numbers; they double the file and
    make it depend on where the checkout lives. Only the module scope stays.
    """
    import onnx
    program.save(path, external_data=False)
    onnx_model = onnx.load(path)
    for node in onnx_model.graph.node:
        kept = [p for p in node.metadata_props if p.key == "namespace"]
        del node.metadata_props[:]
        node.metadata_props.extend(kept)
    onnx.save(onnx_model, path)


def _load_onnx(path: str):
    import onnx
    model = onnx.load(path)
    onnx.checker.check_model(model)
    return model


def _io_shapes(model) -> Tuple[List[Dict], List[Dict]]:
    import onnx

    def describe(values):
        out = []
        for v in values:
            t = v.type.tensor_type
            dims = [d.dim_value if d.HasField("dim_value") else (d.dim_param or "?")
                    for d in t.shape.dim]
            out.append({"name": v.name, "shape": dims,
                        "dtype": onnx.TensorProto.DataType.Name(t.elem_type).lower()})
        return out

    return describe(model.graph.input), describe(model.graph.output)


def _histogram(model) -> Dict[str, int]:
    counts = collections.Counter(n.op_type for n in model.graph.node)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _run_onnx(path: str, image: np.ndarray) -> Tuple[Optional[str], Optional[Dict[str, np.ndarray]]]:
    """Run the ONNX file with whatever executor is installed; (executor, outputs).

    onnxruntime first; onnx's reference evaluator where it is missing or
    refuses a model the spec allows (its Attention, for one, does not
    broadcast a mask over the queries, which torch's export of a key padding
    mask does)."""
    try:
        import onnxruntime as ort
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        sess = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
        outs = sess.run(OUTPUT_NAMES, {INPUT_NAME: image})
        return f"onnxruntime {ort.__version__}", dict(zip(OUTPUT_NAMES, outs))
    except ImportError:
        pass
    except Exception as e:  # onnxruntime's errors come in several types
        print(f"  onnxruntime cannot run it ({str(e).splitlines()[0][:160]}...);"
              " running onnx.reference instead")
    try:
        from onnx.reference import ReferenceEvaluator
    except ImportError:
        return None, None
    import onnx
    outs = ReferenceEvaluator(path).run(OUTPUT_NAMES, {INPUT_NAME: image})
    return f"onnx.reference {onnx.__version__}", dict(zip(OUTPUT_NAMES, outs))


def _to_json(obj) -> str:
    """Indented JSON with lists of numbers (shapes) kept on one line."""
    text = json.dumps(obj, indent=2)
    return re.sub(r"\[\s+([-0-9.e,\s]+?)\s+\]",
                  lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text)


def _max_abs(a: np.ndarray, b: np.ndarray) -> float:
    if a.shape != b.shape:
        return float("inf")
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)))) if a.size else 0.0


def export(cfg: INTRConfig, out_dir: str, seed: int, opset: int, exporter: str,
           quiet: bool = False) -> Dict:
    """Write model.onnx, the arrays and config.json into out_dir; returns the metadata."""
    cfg.validate()
    _require_exporter(exporter)
    os.makedirs(out_dir, exist_ok=True)
    torch.set_grad_enabled(False)
    model = build_model(cfg, seed)
    image = make_input(cfg, seed)
    t0 = time.time()
    logits, attention, avg_attention = model(image)
    forward_s = time.time() - t0
    arrays = {INPUT_NAME: image, "logits": logits, "attention": attention,
              "avg_attention": avg_attention}

    onnx_path = os.path.join(out_dir, "model.onnx")
    t0 = time.time()
    _onnx_export(model, image, onnx_path, opset, exporter, cfg.batchnorm)
    export_s = time.time() - t0
    for name, tensor in arrays.items():
        np.save(os.path.join(out_dir, f"{name}.npy"),
                np.ascontiguousarray(tensor.detach().numpy().astype(np.float32)))

    import onnx
    onnx_model = _load_onnx(onnx_path)
    inputs, outputs = _io_shapes(onnx_model)
    if [i["name"] for i in inputs] != [INPUT_NAME] or [o["name"] for o in outputs] != OUTPUT_NAMES:
        raise SystemExit(f"error: unexpected ONNX I/O names: {inputs} -> {outputs}")
    for desc in inputs + outputs:
        want = list(arrays[desc["name"]].shape)
        if desc["shape"] != want:
            raise SystemExit(f"error: ONNX {desc['name']} has shape {desc['shape']}, "
                             f"PyTorch gives {want}")
    h, w = cfg.feature_map
    meta = {
        "config": cfg.to_dict(),
        "seed": seed,
        "opset": opset,
        "exporter": exporter,
        "torch_version": torch.__version__,
        "onnx_version": onnx.__version__,
        "inputs": inputs,
        "outputs": outputs,
        "feature_map": [h, w],
        "tokens": h * w,
        "parameters": sum(p.numel() for p in model.parameters())
                      + sum(b.numel() for b in model.buffers()),
        "attention_stats": attention_stats(attention),
        "onnx_nodes": len(onnx_model.graph.node),
        "onnx_op_types": _histogram(onnx_model),
    }
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        f.write(_to_json(meta) + "\n")
    if not quiet:
        size = os.path.getsize(onnx_path)
        print(f"{out_dir}: {cfg.name}, torch {torch.__version__} {exporter} exporter, opset {opset}")
        print(f"  image {list(image.shape)} -> logits {list(logits.shape)}, attention "
              f"{list(attention.shape)}, avg_attention {list(avg_attention.shape)}; "
              f"feature map {h}x{w} = {h * w} tokens")
        print(f"  {meta['parameters']} parameters; model.onnx {size / 1e6:.2f} MB, "
              f"{meta['onnx_nodes']} nodes; forward {forward_s:.2f} s, export {export_s:.1f} s")
    return meta


def _print_onnx_summary(model) -> None:
    hist = _histogram(model)
    print(f"  onnx.checker: ok; {len(model.graph.node)} nodes, {len(hist)} op types, "
          f"{len(model.graph.initializer)} initializers, opset "
          + ", ".join(f"{o.domain or 'ai.onnx'}:{o.version}" for o in model.opset_import))
    print("  ops: " + ", ".join(f"{k} {v}" for k, v in hist.items()))


def check(fixture: str, onnx_only: bool = False) -> bool:
    """Re-export the fixture and compare; run the committed ONNX. True when all pass."""
    try:
        with open(os.path.join(fixture, "config.json")) as f:
            meta = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{fixture}: cannot read config.json: {e}\n  FAIL")
        return False
    cfg = INTRConfig.from_dict(meta["config"])
    committed = {n: np.load(os.path.join(fixture, f"{n}.npy")) for n in ARRAYS}
    ok = True
    print(f"{fixture}: {cfg.name}, {meta['exporter']} exporter, opset {meta['opset']}, "
          f"written by torch {meta['torch_version']}")

    if not onnx_only:
        if meta["torch_version"].split("+")[0] != torch.__version__.split("+")[0]:
            print(f"  warning: this is torch {torch.__version__}; the fixture was written by "
                  f"torch {meta['torch_version']}, so small differences are possible")
        with tempfile.TemporaryDirectory() as tmp:
            fresh = export(cfg, tmp, meta["seed"], meta["opset"], meta["exporter"], quiet=True)
            for name in ARRAYS:
                diff = _max_abs(np.load(os.path.join(tmp, f"{name}.npy")), committed[name])
                good = diff < GOLDEN_TOL
                ok &= good
                print(f"  re-export {name:13s} max abs diff {diff:.3g} {'ok' if good else 'FAIL'}")
            with open(os.path.join(tmp, "model.onnx"), "rb") as a, \
                    open(os.path.join(fixture, "model.onnx"), "rb") as b:
                same = a.read() == b.read()
            print(f"  re-exported model.onnx {'is byte-identical' if same else 'differs in bytes'}"
                  f" ({fresh['onnx_nodes']} vs {meta['onnx_nodes']} nodes)")

    path = os.path.join(fixture, "model.onnx")
    try:
        model = _load_onnx(path)
    except Exception as e:  # checker errors come in several exception types
        print(f"  onnx.checker: FAIL: {e}")
        return False
    _print_onnx_summary(model)
    executor, outs = _run_onnx(path, committed[INPUT_NAME])
    if executor is None:
        print("  no ONNX executor here (neither onnxruntime nor onnx.reference, which needs "
              "onnx >= 1.13): skipped running model.onnx")
    else:
        for name in OUTPUT_NAMES:
            diff = _max_abs(np.asarray(outs[name]), committed[name])
            good = diff < ONNX_TOL
            ok &= good
            print(f"  {executor}: {name:13s} max abs diff vs golden {diff:.3g} "
                  f"{'ok' if good else 'FAIL'}")
    print(f"  {'PASS' if ok else 'FAIL'}")
    return ok


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n".join(__doc__.split("\n")[1:]))
    p.add_argument("--config", help="a named configuration (see intr_model.CONFIGS)")
    p.add_argument("--out", help="output folder")
    p.add_argument("--opset", type=int, help="ONNX opset (default: 14 torchscript, 18 dynamo)")
    p.add_argument("--exporter", choices=list(DEFAULT_OPSET), default="torchscript")
    p.add_argument("--seed", type=int, default=0, help="weights and input seed (default 0)")
    p.add_argument("--batch", type=int, help="override the config's batch size")
    p.add_argument("--check", nargs="+", metavar="DIR", help="verify exported folders")
    p.add_argument("--onnx-only", action="store_true",
                   help="with --check: only validate and run the committed ONNX")
    args = p.parse_args(argv)

    if args.check:
        results = [check(d, args.onnx_only) for d in args.check]
        print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
        return 0 if all(results) else 1
    if not args.config or not args.out:
        p.error("--config and --out are required (or --check DIR)")
    try:
        cfg = get_config(args.config)
    except KeyError as e:
        p.error(str(e.args[0]))
    if args.batch is not None:
        cfg.batch_size = args.batch
    opset = args.opset or DEFAULT_OPSET[args.exporter]
    meta = export(cfg, args.out, args.seed, opset, args.exporter)
    print("  ops: " + ", ".join(f"{k} {v}" for k, v in meta["onnx_op_types"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
