#!/usr/bin/env python3
"""Writes the PNG fixtures of PNGGray8Tests with an independent encoder (Python's zlib + struct):
one 7x5 8-bit grayscale image per filter type (0 none, 1 sub, 2 up, 3 average, 4 paeth, and a mix),
plus an RGB file the reader must refuse. Run once: python3 make_png_fixtures.py"""
import struct, zlib

W, H = 7, 5
PIXELS = [(x * 37 + y * 91 + (x * y) % 5) % 256 for y in range(H) for x in range(W)]

def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)

def filtered(filters):
    out = bytearray()
    prev = [0] * W
    for y in range(H):
        row = PIXELS[y * W:(y + 1) * W]
        f = filters[y % len(filters)]
        out.append(f)
        for x in range(W):
            a = row[x - 1] if x else 0
            b = prev[x]
            c = prev[x - 1] if x else 0
            pred = [0, a, b, (a + b) // 2, paeth(a, b, c)][f]
            out.append((row[x] - pred) % 256)
        prev = row
    return bytes(out)

def png(raw, colour=0, depth=8):
    header = struct.pack(">IIBBBBB", W, H, depth, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")

for name, filters in [("none", [0]), ("sub", [1]), ("up", [2]), ("average", [3]), ("paeth", [4]), ("mixed", [0, 1, 2, 3, 4])]:
    open(f"gray_{name}.png", "wb").write(png(filtered(filters)))
open("rgb.png", "wb").write(png(bytes(H * (1 + 3 * W)), colour=2))
open("expected.txt", "w").write(" ".join(map(str, PIXELS)) + "\n")
