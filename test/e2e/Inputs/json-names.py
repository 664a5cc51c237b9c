"""Checks that the tools' JSON holds any file name: `make DIR PHOTO` copies
PHOTO under names that are not UTF-8 or need escapes; `check JSON` parses
the tools' JSON strictly and prints each named file's bytes (as
os.fsencode gives them back) and whether it exists, and the labels of
intr-opt inspect's.

    json-names.py make DIR PHOTO
    json-names.py check JSON"""

import json
import os
import shutil
import sys

NAMES = [
    b"caf\xc3\xa9 \"quoted\" back\\slash.png",  # UTF-8 and escapes
    b"latin1-caf\xe9.png",  # a lone byte past 0x7f
    b"overlong-\xc0\xaf.png",  # an overlong '/'
    b"surrogate-\xed\xa0\x80.png",  # an encoded surrogate
    b"cut-\xe2\x82.png",  # a sequence cut short
    b"past-\xf4\x90\x80\x80.png",  # past U+10FFFF
    b"tab\there.png",  # a control character
    b"emoji-\xf0\x9f\x90\xa6.png",  # four bytes
]

if sys.argv[1] == "make":
    out, photo = os.fsencode(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    for name in NAMES:
        shutil.copy(photo, os.path.join(out, name))
else:
    # A JSON text is UTF-8: decoded strictly, then parsed.
    with open(sys.argv[2], "rb") as f:
        result = json.loads(f.read().decode("utf-8"))
    files = [image["file"] for image in result.get("images", [])]
    if "model" in result and not files:
        files = [result["model"]]
    if "producer" in result:  # intr-opt inspect's: the file and its labels
        files = [result["file"]]
        for label in result["labels"]:
            print("label", os.fsencode(label))
    for name in files:
        raw = os.fsencode(name)
        print(os.path.basename(raw), "exists" if os.path.exists(raw) else "missing")
