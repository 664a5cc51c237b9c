"""Writes an f32 .npy of the given shape, with the standard library alone:
`nan`, `inf` and `-inf` fill it with that value (for the tests of what
intr-run does with non-finite outputs), `wave` with sin(0.37 i) for element
i (an input whose every element differs, for comparing two plans of one
model).

    make-npy.py nan|inf|-inf|wave PATH DIM..."""

import math
import struct
import sys

fill, path, shape = sys.argv[1], sys.argv[2], [int(dim) for dim in sys.argv[3:]]
count = math.prod(shape)
special = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
values = [special[fill]] * count if fill in special else [
    math.sin(0.37 * i) for i in range(count)]
header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
    "".join("%d, " % dim for dim in shape))
# Magic, version 1.0, header length; the header padded to 64 bytes in all.
header += " " * (63 - (10 + len(header)) % 64) + "\n"
with open(path, "wb") as out:
    out.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
    out.write(header.encode("latin1"))
    out.write(struct.pack("<%df" % count, *values))
