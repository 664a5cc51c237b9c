#!/usr/bin/env python3
"""Photos and the reference pipeline's tensors for them: test/photos/.

The reference is INTR's evaluation transform as torchvision runs it on a
PIL image (DETR's RandomResize to a fixed size, ToTensor, Normalize with
ImageNet's mean and std), resized to fit a fixed canvas with the aspect
ratio kept and padded with zeros at the bottom and right, as a fixed-size
export takes it. The side that limits the scale fills the canvas and the
other is int(fill * side / limiting side), as DETR sizes the longer side.

  /opt/torch2/bin/python python/reference/make_photo_goldens.py

Needs torch, torchvision, Pillow 13 (whose resize goes down the columns
first when the height shrinks by more than twice the width) and numpy;
dev time only. Writes the photos (PNG, so that decoding is exact), batch.npy
([5, 3, 48, 64] f32, the photos in file-name order) and resized-320x240.png
(bird.png through PIL's bilinear resize alone, large enough for the runtime
to resize it on several threads); JPEGs (4:2:0 YCbCr; CMYK as
Adobe writes it; grey; progressive 4:4:4; 4:2:2) with what PIL decodes
them to (`*-decoded.png`); and
tiny-postnorm-sine/: the outputs of that fixture's model (test/models/
tiny-postnorm-sine-b1-op14, whose weights build_model reproduces) for
f-photo.jpg through the whole pipeline, for `intr-run photo --expect`;
tiny-masked/: the same model exported with a pixel mask input beside the
image (DETR's NestedTensor mask, true on the padding: the encoding and
every attention mask padded tokens, as INTR's own evaluation does), with
its outputs for c-tall.png, whose padding covers three of the four
feature-map columns.
"""
import os
import sys

import numpy as np
import PIL
import torch
import torchvision.transforms.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "test", "photos")
CANVAS = (48, 64)  # H, W
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def textured(width, height, rng):
    """Smooth colour fields with fine noise: content that aliases when
    shrunk without a filter, and where every rounding shows."""
    coarse = rng.integers(0, 256, (max(1, height // 9), max(1, width // 9), 3),
                          dtype=np.uint8)
    smooth = np.asarray(Image.fromarray(coarse).resize((width, height),
                                                       Image.BICUBIC))
    noise = rng.integers(-40, 41, (height, width, 3))
    return Image.fromarray(np.clip(smooth + noise, 0, 255).astype(np.uint8))


def fitted(width, height, canvas):
    h, w = canvas
    if h * width <= w * height:
        return h, max(1, min(w, int(h * width / height)))
    return max(1, min(h, int(w * height / width))), w


def reference(photo, canvas=CANVAS):
    """[3, H, W] f32: the photo resized, scaled, normalized and padded."""
    size = fitted(*photo.size, canvas)
    image = F.normalize(F.to_tensor(F.resize(photo, list(size))), MEAN, STD)
    padded = torch.zeros(3, *canvas)
    padded[:, :size[0], :size[1]] = image
    return padded


def masked_model(path, folder):
    """The tiny fixture model with a pixel-mask input, exported, and its
    outputs for the photo at `path`."""
    sys.path.insert(0, HERE)
    from intr_model import build_model, get_config
    cfg = get_config("tiny-postnorm-sine")
    net = build_model(cfg, 0)  # forward(image, pixel_mask)
    canvas = (cfg.image_height, cfg.image_width)
    photo = Image.open(path).convert("RGB")
    image = reference(photo, canvas)[None]
    h, w = fitted(*photo.size, canvas)
    pixel_mask = torch.ones(1, *canvas, dtype=torch.bool)
    pixel_mask[:, :h, :w] = False
    os.makedirs(folder, exist_ok=True)
    with torch.no_grad():
        outputs = net(image, pixel_mask)
    for name, value in zip(("logits", "attention", "avg_attention"), outputs):
        np.save(os.path.join(folder, f"{name}.npy"), value.numpy())
    torch.onnx.export(net, (image, pixel_mask), os.path.join(folder, "model.onnx"),
                      input_names=["image", "pixel_mask"],
                      output_names=["logits", "attention", "avg_attention"],
                      opset_version=18, dynamo=True, external_data=False)


def model_outputs(path, folder):
    """The tiny fixture model's outputs for the photo at `path`."""
    sys.path.insert(0, HERE)
    from intr_model import build_model, get_config
    cfg = get_config("tiny-postnorm-sine")
    model = build_model(cfg, 0)
    photo = Image.open(path).convert("RGB")
    with torch.no_grad():
        outputs = model(reference(photo, (cfg.image_height, cfg.image_width))[None])
    os.makedirs(folder, exist_ok=True)
    for name, value in zip(("logits", "attention", "avg_attention"), outputs):
        np.save(os.path.join(folder, f"{name}.npy"), value.numpy())


def main():
    assert int(PIL.__version__.split(".")[0]) >= 13, PIL.__version__
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(0)
    bird = Image.open(os.path.join(ROOT, "examples", "birds", "images",
                                   "red-crested.png")).convert("RGB")
    photos = {
        "a-wide.png": textured(181, 122, rng),   # shrinks, width fills
        "b-small.png": textured(37, 23, rng),    # grows
        "c-tall.png": textured(60, 200, rng),    # shrinks down the columns first
        "d-bird.png": bird,                      # a picture, shrunk 4 times
        "e-exact.png": textured(64, 48, rng),    # the canvas's size: no resize
    }
    batch = []
    for name, photo in photos.items():
        photo.save(os.path.join(OUT, name))
        batch.append(reference(Image.open(os.path.join(OUT, name)).convert("RGB")))
    np.save(os.path.join(OUT, "batch.npy"), torch.stack(batch).numpy())
    bird.resize((320, 240), Image.BILINEAR).save(
        os.path.join(OUT, "resized-320x240.png"))
    jpegs = {"f-photo.jpg": (textured(123, 91, rng), {"subsampling": 2}),
             "g-cmyk.jpg": (textured(45, 38, rng).convert("CMYK"), {}),
             "h-grey.jpg": (textured(37, 29, rng).convert("L"), {}),
             "i-progressive.jpg": (textured(51, 33, rng),
                                   {"progressive": True, "subsampling": 0}),
             "j-422.jpg": (textured(29, 43, rng), {"subsampling": 1})}
    for name, (photo, options) in jpegs.items():
        path = os.path.join(OUT, name)
        photo.save(path, quality=85, **options)
        Image.open(path).convert("RGB").save(path[:-4] + "-decoded.png")
    model_outputs(os.path.join(OUT, "f-photo.jpg"),
                  os.path.join(OUT, "tiny-postnorm-sine"))
    masked_model(os.path.join(OUT, "c-tall.png"), os.path.join(OUT, "tiny-masked"))
    print("wrote", OUT)


if __name__ == "__main__":
    main()
