"""A small NumPy interpreter for the ONNX graphs this package exports.

ONNX Runtime for Python is not part of the Debian packages this module relies
on, and onnx 1.12 has no reference evaluator. This evaluator runs the handful
of operators the exported CNNs use, in float64, straight from the .onnx file,
so tests and the golden command check the exported graph itself rather than
the PyTorch module it came from. Unknown operators raise, never pass silently.
"""
from __future__ import annotations

import numpy as np
import onnx


def _to_array(t: onnx.TensorProto) -> np.ndarray:
    dtypes = {onnx.TensorProto.FLOAT: np.float32, onnx.TensorProto.DOUBLE: np.float64,
              onnx.TensorProto.INT64: np.int64, onnx.TensorProto.INT32: np.int32,
              onnx.TensorProto.INT8: np.int8, onnx.TensorProto.UINT8: np.uint8}
    if t.data_type not in dtypes:
        raise NotImplementedError(f"tensor type {t.data_type} of {t.name}")
    dt = np.dtype(dtypes[t.data_type]).newbyteorder("<")
    if t.raw_data:
        arr = np.frombuffer(t.raw_data, dtype=dt)
    else:
        # int8 and uint8 values are stored in int32_data when not raw
        field = {np.float32: t.float_data, np.float64: t.double_data, np.int64: t.int64_data,
                 np.int32: t.int32_data, np.int8: t.int32_data, np.uint8: t.int32_data}[dtypes[t.data_type]]
        arr = np.array(list(field), dtype=dt)
    return arr.reshape(tuple(t.dims)).astype(dt.newbyteorder("="))


def _attr_value(a):
    A = onnx.AttributeProto
    if a.type == A.FLOAT:
        return a.f
    if a.type == A.INT:
        return a.i
    if a.type == A.INTS:
        return list(a.ints)
    if a.type == A.FLOATS:
        return list(a.floats)
    if a.type == A.TENSOR:
        return a.t
    if a.type == A.STRING:
        return a.s.decode()
    raise NotImplementedError(f"attribute type {a.type} of {a.name}")


def _attrs(node):
    return {a.name: _attr_value(a) for a in node.attribute}


def _conv(x, w, b, at):
    if at.get("group", 1) != 1 or any(s != 1 for s in at.get("strides", [1, 1])) \
            or any(d != 1 for d in at.get("dilations", [1, 1])):
        raise NotImplementedError("Conv: only group=1, stride 1, dilation 1")
    pads = at.get("pads", [0, 0, 0, 0])
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    kh, kw = w.shape[2:]
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))  # N C H W kh kw
    y = np.einsum("nchwij,ocij->nohw", win, w, optimize=True)
    if b is not None:
        y = y + b[None, :, None, None]
    return y


def _maxpool(x, at):
    k = at["kernel_shape"]
    s = at.get("strides", k)
    if any(p != 0 for p in at.get("pads", [0, 0, 0, 0])) or k != s:
        raise NotImplementedError("MaxPool: only non-overlapping, unpadded pooling")
    n, c, h, w = x.shape
    ho, wo = h // k[0], w // k[1]
    x = x[:, :, :ho * k[0], :wo * k[1]].reshape(n, c, ho, k[0], wo, k[1])
    return x.max(axis=(3, 5))


def _softmax(x, axis):
    z = x - x.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def _slice(x, starts, ends, axes, steps):
    """ONNX Slice: per-axis start/end/step, with negative values and clamping as the spec says."""
    axes = list(range(len(starts))) if axes is None else [int(a) % x.ndim for a in axes]
    steps = [1] * len(starts) if steps is None else steps
    index = [slice(None)] * x.ndim
    for s, e, a, st in zip(starts, ends, axes, steps):
        n = x.shape[a]
        s = int(s) + n if s < 0 else int(s)
        e = int(e) + n if e < 0 else int(e)
        if st > 0:
            s, e = min(max(s, 0), n), min(max(e, 0), n)
        else:
            s, e = min(max(s, -1), n - 1), min(max(e, -1), n - 1)
        index[a] = slice(s, None if (st < 0 and e < 0) else e, int(st))
    return x[tuple(index)]


def _per_axis(param, x, axis):
    """A QuantizeLinear/DequantizeLinear scale or zero point, shaped to broadcast along `axis` of x."""
    if param.ndim == 0 or param.size == 1:
        return param.reshape(())
    shape = [1] * x.ndim
    shape[axis % x.ndim] = param.size
    return param.reshape(shape)


def _quantize(x, scale, zero_point, axis):
    """ONNX QuantizeLinear: round half to even, add the zero point, saturate to the zero point's type."""
    info = np.iinfo(zero_point.dtype)
    q = np.rint(x / _per_axis(scale, x, axis)) + _per_axis(zero_point, x, axis).astype(np.float64)
    return np.clip(q, info.min, info.max).astype(zero_point.dtype)


def _dequantize(x, scale, zero_point, axis):
    zp = 0 if zero_point is None else _per_axis(zero_point, x, axis).astype(np.int64)
    return (x.astype(np.int64) - zp) * _per_axis(scale, x, axis)


def run(model_path_or_proto, inputs: dict, keep=()) -> dict:
    """Evaluate the graph; returns {output_name: float64 array}, plus the intermediate tensors named in keep."""
    model = onnx.load(model_path_or_proto) if isinstance(model_path_or_proto, (str, bytes)) or \
        hasattr(model_path_or_proto, "__fspath__") else model_path_or_proto
    g = model.graph
    env = {}
    for init in g.initializer:
        arr = _to_array(init)
        env[init.name] = arr.astype(np.float64) if arr.dtype.kind == "f" else arr
    for k, v in inputs.items():
        env[k] = np.asarray(v, dtype=np.float64)
    for node in g.node:
        at = _attrs(node)
        ins = [env[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Conv":
            out = _conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, at)
        elif op == "Relu":
            out = np.maximum(ins[0], 0)
        elif op == "MaxPool":
            out = _maxpool(ins[0], at)
        elif op == "BatchNormalization":
            x, sc, bi, mean, var = ins[:5]
            shape = (1, -1) + (1,) * (x.ndim - 2)
            out = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + at.get("epsilon", 1e-5)) \
                * sc.reshape(shape) + bi.reshape(shape)
        elif op == "Flatten":
            ax = at.get("axis", 1)
            out = ins[0].reshape(int(np.prod(ins[0].shape[:ax])), -1)
        elif op == "Reshape":
            shape = [int(s) for s in ins[1]]
            shape = [ins[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
            out = ins[0].reshape(shape)
        elif op == "Gemm":
            a, b = ins[0], ins[1]
            if at.get("transA", 0):
                a = a.T
            if at.get("transB", 0):
                b = b.T
            out = at.get("alpha", 1.0) * (a @ b)
            if len(ins) > 2 and ins[2] is not None:
                out = out + at.get("beta", 1.0) * ins[2]
        elif op == "MatMul":
            out = ins[0] @ ins[1]
        elif op in ("Add", "Sub", "Mul", "Div"):
            f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide}[op]
            out = f(ins[0], ins[1])
        elif op == "Softmax":
            out = _softmax(ins[0], at.get("axis", -1))
        elif op == "Constant":
            out = _to_array(at["value"])
            out = out.astype(np.float64) if out.dtype.kind == "f" else out
        elif op == "QuantizeLinear":
            out = _quantize(ins[0], ins[1], ins[2] if len(ins) > 2 and ins[2] is not None else np.uint8(0),
                            at.get("axis", 1))
        elif op == "DequantizeLinear":
            out = _dequantize(ins[0], ins[1], ins[2] if len(ins) > 2 else None, at.get("axis", 1))
        elif op == "Identity":
            out = ins[0]
        elif op == "Shape":
            out = np.array(ins[0].shape, dtype=np.int64)
        elif op == "Gather":
            out = np.take(ins[0], ins[1].astype(np.int64), axis=at.get("axis", 0))
        elif op == "Unsqueeze":
            out = ins[0]
            for ax in sorted(int(a) for a in ins[1]):
                out = np.expand_dims(out, ax)
        elif op == "Concat":
            out = np.concatenate(ins, axis=at["axis"])
        elif op == "Pow":
            out = np.power(ins[0], ins[1])
        elif op == "ReduceMean":
            axes = at.get("axes")
            out = np.mean(ins[0], axis=None if axes is None else tuple(int(a) for a in axes),
                          keepdims=bool(at.get("keepdims", 1)))
        elif op == "GlobalAveragePool":
            out = ins[0].mean(axis=tuple(range(2, ins[0].ndim)), keepdims=True)
        elif op == "Slice":
            out = _slice(ins[0], *[None if len(ins) <= k or ins[k] is None else ins[k].astype(np.int64)
                                   for k in (1, 2, 3, 4)])
        else:
            raise NotImplementedError(f"operator {op} is not supported by the NumPy evaluator")
        env[node.output[0]] = out
    return {name: env[name] for name in [o.name for o in g.output] + list(keep)}
