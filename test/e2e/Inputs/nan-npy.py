"""Writes an f32 .npy of the given shape whose every element is NaN (for
the tests of what intr-run does with non-finite outputs), with the
standard library alone."""

import math
import struct
import sys

path, shape = sys.argv[1], [int(dim) for dim in sys.argv[2:]]
header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
    "".join("%d, " % dim for dim in shape))
# Magic, version 1.0, header length; the header padded to 64 bytes in all.
header += " " * (63 - (10 + len(header)) % 64) + "\n"
with open(path, "wb") as out:
    out.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
    out.write(header.encode("latin1"))
    out.write(struct.pack("<f", math.nan) * math.prod(shape))
