#!/usr/bin/env python3
"""A conformance adapter for an XOR chunk decoder, in plain Python (no dependencies).

    java -jar conformance.jar --impl "python3 xor_adapter.py" --report report/

Implements the adapter contract for one capability, decode-chunk, for encoding 1 (XOR):
  xor_adapter.py describe                  -> {"name", "version", "targets", "capabilities", ...}
  xor_adapter.py decode-chunk REQUEST.json -> {"samples": [...]} (exit 0)
                                           or {"error": {...}}    (exit 1)
"""
import json
import struct
import sys


def describe():
    return {"name": "xor-adapter.py", "version": "1.0", "targets": ["3.5.3"],
            "capabilities": ["decode-chunk"], "serve": False, "chunk_encodings": [1]}


class Corrupt(Exception):
    pass


class Bits:
    """MSB-first bit reader."""

    def __init__(self, data):
        self.data, self.pos = data, 0

    def read(self, n):
        v = 0
        for _ in range(n):
            i = self.pos >> 3
            if i >= len(self.data):
                raise Corrupt("unexpected end of chunk data at byte %d" % i)
            v = (v << 1) | ((self.data[i] >> (7 - (self.pos & 7))) & 1)
            self.pos += 1
        return v

    def uvarint(self):
        x, s = 0, 0
        while True:
            b = self.read(8)
            x |= (b & 0x7F) << s
            if b < 0x80:
                return x
            s += 7
            if s > 63:
                raise Corrupt("varint overflow")


def signed(v, n):
    """Two's complement of the n low bits of v."""
    return v - (1 << n) if v >= 1 << (n - 1) else v


def decode_xor(data):
    if len(data) < 2:
        raise Corrupt("chunk of %d bytes has no 2-byte header" % len(data))
    n = struct.unpack(">H", data[:2])[0]
    r = Bits(data[2:])
    samples, t, delta, v, leading, trailing = [], 0, 0, 0, 0, 0
    for i in range(n):
        if i == 0:
            zz = r.uvarint()
            t = (zz >> 1) ^ -(zz & 1)          # zig-zag varint
            v = r.read(64)
        else:
            if i == 1:
                delta = signed(r.uvarint(), 64)
            else:
                prefix = 0
                while prefix < 4 and r.read(1) == 1:
                    prefix += 1
                width = {0: 0, 1: 14, 2: 17, 3: 20, 4: 64}[prefix]
                dod = 0
                if width == 64:
                    dod = signed(r.read(64), 64)
                elif width:
                    b = r.read(width)
                    # Prometheus' buckets hold -(2^(n-1)-1) .. 2^(n-1): strictly greater is negative.
                    dod = b - (1 << width) if b > 1 << (width - 1) else b
                delta += dod
            t += delta
            if r.read(1) == 1:                 # the value changed
                if r.read(1) == 1:             # new leading/trailing window
                    leading = r.read(5)
                    sig = r.read(6) or 64
                    trailing = 64 - leading - sig
                v ^= r.read(64 - leading - trailing) << trailing
        samples.append({"t": signed(t & (2**64 - 1), 64), "v": "0x%016x" % v})
    return {"samples": samples}


def main(argv):
    if argv[1:2] == ["describe"]:
        print(json.dumps(describe()))
        return 0
    if len(argv) != 3 or argv[1] != "decode-chunk":
        print(json.dumps({"error": {"kind": "unsupported", "message": "only decode-chunk"}}))
        return 2
    request = json.load(open(argv[2]))
    if request["encoding"] != 1:
        print(json.dumps({"error": {"kind": "unsupported", "message": "XOR chunks only"}}))
        return 2
    data = open(request["chunk"], "rb").read()
    try:
        print(json.dumps(decode_xor(data)))
        return 0
    except Corrupt as e:
        print(json.dumps({"error": {"kind": "corrupt", "message": str(e)}}))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
