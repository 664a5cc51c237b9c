"""Lays the birds example's held-out photos out as torchvision's ImageFolder
reads a dataset, DIR/<class>/<photo>, with the standard library alone:
folders named after the labels (`labels`) or numbered (`numbers`).

    image-folder.py labels|numbers HELDOUT_DIR LABELS_FILE OUT_DIR"""

import csv
import os
import shutil
import sys

naming, heldout, labels_file, out = sys.argv[1:5]
with open(labels_file) as f:
    labels = [line.strip() for line in f if line.strip()]
with open(os.path.join(heldout, "truth.csv")) as f:
    for row in csv.DictReader(f):
        index = int(row["class_index"])
        folder = os.path.join(out, labels[index] if naming == "labels" else str(index))
        os.makedirs(folder, exist_ok=True)
        shutil.copy(os.path.join(heldout, row["file"]), folder)
