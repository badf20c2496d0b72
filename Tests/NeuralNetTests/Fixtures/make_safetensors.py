#!/usr/bin/env python3
"""Writes weights.safetensors for SafetensorsTests with an independent encoder (struct + json, no torch):
an F32 conv weight, an F16 and a BF16 vector, and an I64 counter that the reader must skip.
Run once: python3 make_safetensors.py"""
import json, struct

def f32(values): return b"".join(struct.pack("<f", v) for v in values)
def f16(values): return b"".join(struct.pack("<e", v) for v in values)
def bf16(values): return b"".join(struct.pack("<I", struct.unpack("<I", struct.pack("<f", v))[0])[2:] for v in values)

tensors = [
    ("conv1.weight", "F32", [2, 1, 2, 2], f32([0.5 * i - 1 for i in range(8)])),
    ("bn1.weight", "F16", [2], f16([1.5, -0.25])),
    ("bn1.bias", "BF16", [2], bf16([2.0, -3.0])),
    ("bn1.num_batches_tracked", "I64", [], struct.pack("<q", 7)),
]
header, data = {"__metadata__": {"format": "pt"}}, b""
for name, dtype, shape, raw in tensors:
    header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
    data += raw
text = json.dumps(header).encode()
text += b" " * (-len(text) % 8)
open("weights.safetensors", "wb").write(struct.pack("<Q", len(text)) + text + data)
