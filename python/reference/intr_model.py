"""A PyTorch reference implementation of INTR, written for export to ONNX.

INTR (Paul et al., ICLR 2024) is DETR with one decoder query per class: each
class query searches the image through cross-attention, a shared "presence"
linear layer turns every final query into that class's logit, and the
cross-attention weights are the explanation. This file reproduces the
architecture as real exports see it:

  image -> ResNet (frozen BN, stride 32) -> 1x1 conv to d_model
        -> + positional encoding (sine or learned) -> transformer encoder
        -> decoder over C class queries (tgt = 0, query_pos = class embedding)
        -> LayerNorm -> presence Linear(d, 1) -> logits [B, C]

forward() returns (logits [B, C], attention [L, B, H, C, T],
avg_attention [L, B, C, T]) with T = h * w tokens of the stride-32 feature map.

The weights are random but deterministic (seeded) and scaled so that the
outputs are not degenerate: batch-norm statistics are calibrated on a random
batch and then perturbed, and attention maps are far from uniform.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import torch
from torch import Tensor, nn
import torch.nn.functional as F


# ---------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------


@dataclass
class INTRConfig:
    """Everything that determines the model and its (fixed) input shape."""

    name: str = "custom"
    d_model: int = 256
    nhead: int = 8
    num_encoder_layers: int = 6
    num_decoder_layers: int = 6
    dim_feedforward: int = 2048
    num_classes: int = 200
    # Bottleneck blocks per stage; [3, 4, 6, 3] with base_width 64 is ResNet-50.
    backbone_layers: List[int] = field(default_factory=lambda: [3, 4, 6, 3])
    base_width: int = 64
    position: str = "sine"  # "sine" | "learned"
    normalize_before: bool = False  # False: post-norm (DETR default)
    batchnorm: str = "frozen"  # "frozen" (Mul/Add) | "module" (BatchNormalization)
    # Pass the (all-False) padding mask to every attention as key_padding_mask,
    # as DETR and INTR do; it shows up in exports as Where/Add on the scores.
    padding_mask: bool = True
    # False: the encoder's and decoder's self-attention pass need_weights=False,
    # as models tuned for speed do; torch 2.x then exports them through
    # scaled_dot_product_attention (ONNX Attention from opset 23).
    self_attention_weights: bool = True
    image_height: int = 800
    image_width: int = 1216
    batch_size: int = 1

    def validate(self) -> None:
        if self.position not in ("sine", "learned"):
            raise ValueError(f"position must be 'sine' or 'learned', not {self.position!r}")
        if self.batchnorm not in ("frozen", "module"):
            raise ValueError(f"batchnorm must be 'frozen' or 'module', not {self.batchnorm!r}")
        if self.d_model % self.nhead != 0:
            raise ValueError("d_model must be divisible by nhead")
        if self.d_model % 4 != 0:
            raise ValueError("d_model must be divisible by 4 (sine encoding uses d/2 sin/cos pairs)")
        if len(self.backbone_layers) != 4 or min(self.backbone_layers) < 1:
            raise ValueError("backbone_layers must list 4 positive block counts")
        if self.image_height % 32 or self.image_width % 32:
            raise ValueError("image height and width must be multiples of 32")

    @property
    def backbone_channels(self) -> int:
        return self.base_width * 8 * Bottleneck.expansion

    @property
    def feature_map(self) -> Tuple[int, int]:
        """[h, w] of the stride-32 feature map (the input is a multiple of 32)."""
        return self.image_height // 32, self.image_width // 32

    @property
    def tokens(self) -> int:
        h, w = self.feature_map
        return h * w

    def to_dict(self) -> Dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: Dict) -> "INTRConfig":
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(d) - names
        if unknown:
            raise ValueError(f"unknown config keys: {sorted(unknown)}")
        cfg = cls(**d)
        cfg.backbone_layers = list(cfg.backbone_layers)
        cfg.validate()
        return cfg


def _tiny(name: str, **overrides) -> INTRConfig:
    # 96x128 input -> 3x4 = 12 tokens; base width 4 keeps a model ~300 KB.
    base = dict(
        name=name, d_model=32, nhead=4, num_encoder_layers=2, num_decoder_layers=2,
        dim_feedforward=64, num_classes=6, backbone_layers=[1, 1, 1, 1], base_width=4,
        image_height=96, image_width=128, batch_size=1,
    )
    base.update(overrides)
    return INTRConfig(**base)


CONFIGS: Dict[str, INTRConfig] = {
    # The reference INTR on CUB-200 at its evaluation size (25x38 = 950 tokens).
    "full": INTRConfig(name="full"),
    # Tiny ones for the committed test fixtures (test/models/).
    "tiny-postnorm-sine": _tiny("tiny-postnorm-sine"),
    "tiny-prenorm-learned-bn-nomask": _tiny(
        "tiny-prenorm-learned-bn-nomask", normalize_before=True, position="learned",
        batchnorm="module", padding_mask=False, num_classes=7, batch_size=2),
    # A feature size of 64 in 2 heads of 32: the executable writer lays a
    # self-attention's key projection right after its query's only when
    # they fill whole 256-byte blocks, and GPUs run heads of 32 fused.
    "tiny-postnorm-sine-d64": _tiny(
        "tiny-postnorm-sine-d64", d_model=64, nhead=2, dim_feedforward=128,
        batch_size=2),
    # Self-attention without weights: scaled_dot_product_attention in exports.
    "tiny-postnorm-sine-sdpa": _tiny("tiny-postnorm-sine-sdpa", self_attention_weights=False),
    "tiny-prenorm-learned-bn-nomask-sdpa": _tiny(
        "tiny-prenorm-learned-bn-nomask-sdpa", normalize_before=True, position="learned",
        batchnorm="module", padding_mask=False, num_classes=7, batch_size=2,
        self_attention_weights=False),
    # Portrait input (4x3 tokens) so that h != w is exercised both ways.
    "tiny-prenorm-sine-bn": _tiny(
        "tiny-prenorm-sine-bn", normalize_before=True, batchnorm="module",
        num_classes=5, batch_size=2, image_height=128, image_width=96),
}


def get_config(name: str) -> INTRConfig:
    if name not in CONFIGS:
        raise KeyError(f"unknown config {name!r}; known: {', '.join(CONFIGS)}")
    return dataclasses.replace(CONFIGS[name], backbone_layers=list(CONFIGS[name].backbone_layers))


# ---------------------------------------------------------------------------
# Backbone
# ---------------------------------------------------------------------------


class FrozenBatchNorm2d(nn.Module):
    """Batch norm with fixed statistics and affine parameters, all buffers.

    Computes the per-channel scale and shift in the forward, as DETR does, so
    that an export shows it as Mul + Add on constants rather than as
    BatchNormalization.
    """

    def __init__(self, num_features: int, eps: float = 1e-5):
        super().__init__()
        self.eps = eps
        self.register_buffer("weight", torch.ones(num_features))
        self.register_buffer("bias", torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x: Tensor) -> Tensor:
        scale = self.weight * (self.running_var + self.eps).rsqrt()
        shift = self.bias - self.running_mean * scale
        return x * scale.reshape(1, -1, 1, 1) + shift.reshape(1, -1, 1, 1)


def _norm(channels: int, mode: str) -> nn.Module:
    return FrozenBatchNorm2d(channels) if mode == "frozen" else nn.BatchNorm2d(channels)


class Bottleneck(nn.Module):
    """ResNet v1.5 bottleneck: 1x1 -> 3x3 (carries the stride) -> 1x1 (x4)."""

    expansion = 4

    def __init__(self, inplanes: int, planes: int, stride: int, bn: str):
        super().__init__()
        out = planes * self.expansion
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = _norm(planes, bn)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn2 = _norm(planes, bn)
        self.conv3 = nn.Conv2d(planes, out, 1, bias=False)
        self.bn3 = _norm(out, bn)
        self.downsample: Optional[nn.Module] = None
        if stride != 1 or inplanes != out:
            self.downsample = nn.Sequential(
                nn.Conv2d(inplanes, out, 1, stride=stride, bias=False), _norm(out, bn))

    def forward(self, x: Tensor) -> Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        y = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return F.relu(y + identity)


class ResNetBackbone(nn.Module):
    """Stem (7x7 s2, BN, ReLU, 3x3 max-pool s2) and four bottleneck stages."""

    def __init__(self, layers: List[int], base_width: int, bn: str):
        super().__init__()
        self.conv1 = nn.Conv2d(3, base_width, 7, stride=2, padding=3, bias=False)
        self.bn1 = _norm(base_width, bn)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        stages = []
        inplanes = base_width
        for i, blocks in enumerate(layers):
            planes = base_width * 2 ** i
            stage = []
            for b in range(blocks):
                stride = 2 if (i > 0 and b == 0) else 1
                stage.append(Bottleneck(inplanes, planes, stride, bn))
                inplanes = planes * Bottleneck.expansion
            stages.append(nn.Sequential(*stage))
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        self.out_channels = inplanes

    def forward(self, x: Tensor) -> Tensor:
        x = self.maxpool(F.relu(self.bn1(self.conv1(x))))
        return self.layer4(self.layer3(self.layer2(self.layer1(x))))


# ---------------------------------------------------------------------------
# Positional encodings
# ---------------------------------------------------------------------------


class PositionEmbeddingSine(nn.Module):
    """DETR's normalized 2-D sine encoding, computed from the padding mask.

    Half the channels encode y, half encode x; within each half, channel pairs
    (2i, 2i+1) are sin/cos at frequency temperature^(-2i/half).
    """

    def __init__(self, num_pos_feats: int, temperature: float = 10000.0):
        super().__init__()
        self.num_pos_feats = num_pos_feats
        self.temperature = temperature
        self.scale = 2 * math.pi

    def forward(self, mask: Tensor) -> Tensor:
        # mask: [B, h, w], True = padding. Returns [B, 2 * num_pos_feats, h, w].
        not_mask = ~mask
        y = not_mask.cumsum(1, dtype=torch.float32)
        x = not_mask.cumsum(2, dtype=torch.float32)
        eps = 1e-6
        y = y / (y[:, -1:, :] + eps) * self.scale
        x = x / (x[:, :, -1:] + eps) * self.scale
        i = torch.arange(self.num_pos_feats, dtype=torch.float32, device=mask.device)
        dim_t = self.temperature ** (2 * torch.div(i, 2, rounding_mode="floor") / self.num_pos_feats)
        px = x[:, :, :, None] / dim_t
        py = y[:, :, :, None] / dim_t
        px = torch.stack((px[:, :, :, 0::2].sin(), px[:, :, :, 1::2].cos()), dim=4).flatten(3)
        py = torch.stack((py[:, :, :, 0::2].sin(), py[:, :, :, 1::2].cos()), dim=4).flatten(3)
        return torch.cat((py, px), dim=3).permute(0, 3, 1, 2)


class PositionEmbeddingLearned(nn.Module):
    """DETR's learned absolute encoding: a row and a column embedding table."""

    def __init__(self, num_pos_feats: int, max_size: int = 50):
        super().__init__()
        self.row_embed = nn.Embedding(max_size, num_pos_feats)
        self.col_embed = nn.Embedding(max_size, num_pos_feats)
        nn.init.uniform_(self.row_embed.weight)
        nn.init.uniform_(self.col_embed.weight)

    def forward(self, mask: Tensor) -> Tensor:
        b, h, w = mask.shape
        cols = self.col_embed(torch.arange(w, device=mask.device))  # [w, F]
        rows = self.row_embed(torch.arange(h, device=mask.device))  # [h, F]
        pos = torch.cat([cols.unsqueeze(0).repeat(h, 1, 1),
                         rows.unsqueeze(1).repeat(1, w, 1)], dim=-1)  # [h, w, 2F]
        return pos.permute(2, 0, 1).unsqueeze(0).repeat(b, 1, 1, 1)


# ---------------------------------------------------------------------------
# Transformer (sequence-first [S, B, D], like DETR)
# ---------------------------------------------------------------------------


class FFN(nn.Module):
    def __init__(self, d: int, dim_ff: int):
        super().__init__()
        self.linear1 = nn.Linear(d, dim_ff)
        self.linear2 = nn.Linear(dim_ff, d)

    def forward(self, x: Tensor) -> Tensor:
        return self.linear2(F.relu(self.linear1(x)))


class EncoderLayer(nn.Module):
    def __init__(self, d: int, nhead: int, dim_ff: int, normalize_before: bool,
                 need_weights: bool = True):
        super().__init__()
        self.need_weights = need_weights
        self.self_attn = nn.MultiheadAttention(d, nhead, dropout=0.0)
        self.ffn = FFN(d, dim_ff)
        self.norm1 = nn.LayerNorm(d)
        self.norm2 = nn.LayerNorm(d)
        self.normalize_before = normalize_before

    def forward(self, src: Tensor, pos: Tensor, key_padding_mask: Optional[Tensor]) -> Tensor:
        # need_weights defaults to True as in DETR, so exports take the explicit
        # MatMul/Softmax path; the weights are discarded.
        if self.normalize_before:
            s = self.norm1(src)
            q = k = s + pos
            src = src + self.self_attn(q, k, value=s, key_padding_mask=key_padding_mask,
                                       need_weights=self.need_weights)[0]
            return src + self.ffn(self.norm2(src))
        q = k = src + pos
        src = self.norm1(src + self.self_attn(q, k, value=src, key_padding_mask=key_padding_mask,
                                              need_weights=self.need_weights)[0])
        return self.norm2(src + self.ffn(src))


class DecoderLayer(nn.Module):
    """Self-attention among class queries, then class-query cross-attention.

    The cross-attention key is the memory alone (no positional term), and the
    module is called twice with identical inputs, as the reference INTR does:
    once for the per-head weights (whose output is used), once for the
    head-averaged weights.
    """

    def __init__(self, d: int, nhead: int, dim_ff: int, normalize_before: bool,
                 need_weights: bool = True):
        super().__init__()
        self.need_weights = need_weights
        self.self_attn = nn.MultiheadAttention(d, nhead, dropout=0.0)
        self.cross_attn = nn.MultiheadAttention(d, nhead, dropout=0.0)
        self.ffn = FFN(d, dim_ff)
        self.norm1 = nn.LayerNorm(d)
        self.norm2 = nn.LayerNorm(d)
        self.norm3 = nn.LayerNorm(d)
        self.normalize_before = normalize_before

    def _cross(self, query: Tensor, memory: Tensor, mask: Optional[Tensor]):
        out, per_head = self.cross_attn(query, memory, memory, key_padding_mask=mask,
                                        need_weights=True, average_attn_weights=False)
        _, mean = self.cross_attn(query, memory, memory, key_padding_mask=mask,
                                  need_weights=True, average_attn_weights=True)
        return out, per_head, mean

    def forward(self, tgt: Tensor, memory: Tensor, query_pos: Tensor,
                mask: Optional[Tensor]) -> Tuple[Tensor, Tensor, Tensor]:
        if self.normalize_before:
            t = self.norm1(tgt)
            q = k = t + query_pos
            tgt = tgt + self.self_attn(q, k, value=t, need_weights=self.need_weights)[0]
            out, per_head, mean = self._cross(self.norm2(tgt) + query_pos, memory, mask)
            tgt = tgt + out
            tgt = tgt + self.ffn(self.norm3(tgt))
        else:
            q = k = tgt + query_pos
            tgt = self.norm1(tgt + self.self_attn(q, k, value=tgt,
                                                  need_weights=self.need_weights)[0])
            out, per_head, mean = self._cross(tgt + query_pos, memory, mask)
            tgt = self.norm2(tgt + out)
            tgt = self.norm3(tgt + self.ffn(tgt))
        return tgt, per_head, mean


# ---------------------------------------------------------------------------
# INTR
# ---------------------------------------------------------------------------


class INTR(nn.Module):
    def __init__(self, cfg: INTRConfig):
        super().__init__()
        cfg.validate()
        self.cfg = cfg
        d = cfg.d_model
        self.backbone = ResNetBackbone(cfg.backbone_layers, cfg.base_width, cfg.batchnorm)
        self.input_proj = nn.Conv2d(self.backbone.out_channels, d, 1)
        if cfg.position == "sine":
            self.position = PositionEmbeddingSine(d // 2)
        else:
            h, w = cfg.feature_map
            self.position = PositionEmbeddingLearned(d // 2, max(50, h, w))
        self.encoder = nn.ModuleList(
            EncoderLayer(d, cfg.nhead, cfg.dim_feedforward, cfg.normalize_before,
                         cfg.self_attention_weights)
            for _ in range(cfg.num_encoder_layers))
        # Only a pre-norm encoder ends with a LayerNorm (its layers end un-normalized).
        self.encoder_norm = nn.LayerNorm(d) if cfg.normalize_before else None
        self.decoder = nn.ModuleList(
            DecoderLayer(d, cfg.nhead, cfg.dim_feedforward, cfg.normalize_before,
                         cfg.self_attention_weights)
            for _ in range(cfg.num_decoder_layers))
        self.decoder_norm = nn.LayerNorm(d)
        self.query_embed = nn.Embedding(cfg.num_classes, d)
        self.presence = nn.Linear(d, 1)

    def forward(self, image: Tensor,
                pixel_mask: Optional[Tensor] = None) -> Tuple[Tensor, Tensor, Tensor]:
        feat = self.input_proj(self.backbone(image))  # [B, d, h, w]
        b, _, h, w = feat.shape
        if pixel_mask is None:
            # No padding: a fixed-size batch. The mask still drives the
            # encoding (and the attention masks), as in DETR's NestedTensor
            # path.
            mask = torch.zeros((b, h, w), dtype=torch.bool, device=image.device)
        else:
            # DETR's NestedTensor mask [B, H, W], true on padding, shrunk to
            # the feature map as DETR shrinks it.
            mask = F.interpolate(pixel_mask[None].float(), size=(h, w)).to(torch.bool)[0]
        pos = self.position(mask)

        src = feat.flatten(2).permute(2, 0, 1)  # [T, B, d]
        pos = pos.flatten(2).permute(2, 0, 1)
        key_mask = mask.flatten(1) if self.cfg.padding_mask else None

        memory = src
        for layer in self.encoder:
            memory = layer(memory, pos, key_mask)
        if self.encoder_norm is not None:
            memory = self.encoder_norm(memory)

        query_pos = self.query_embed.weight.unsqueeze(1).repeat(1, b, 1)  # [C, B, d]
        tgt = torch.zeros_like(query_pos)
        per_head, mean = [], []
        for layer in self.decoder:
            tgt, a, m = layer(tgt, memory, query_pos, key_mask)
            per_head.append(a)
            mean.append(m)
        hs = self.decoder_norm(tgt).transpose(0, 1)  # [B, C, d]
        logits = self.presence(hs).squeeze(-1)  # [B, C]
        return logits, torch.stack(per_head), torch.stack(mean)


# ---------------------------------------------------------------------------
# Deterministic, non-degenerate initialization
# ---------------------------------------------------------------------------


def _bn_modules(model: nn.Module):
    return [m for m in model.modules() if isinstance(m, (FrozenBatchNorm2d, nn.BatchNorm2d))]


@torch.no_grad()
def _calibrate_batchnorm(backbone: ResNetBackbone, sample: Tensor, gen: torch.Generator) -> None:
    """Set every BN's statistics from the activations it sees, then perturb them.

    Random running statistics that do not match the activations make a deep
    ResNet blow up or die out; calibrated ones keep every stage near unit scale.
    The perturbations make mean, variance, weight and bias all matter.
    """

    def hook(module, inputs):
        x = inputs[0]
        c = x.shape[1]
        mean = x.mean(dim=(0, 2, 3))
        var = x.var(dim=(0, 2, 3), unbiased=False) + 1e-3
        module.running_mean.copy_(mean + 0.1 * var.sqrt() * torch.randn(c, generator=gen))
        module.running_var.copy_(var * torch.exp(0.2 * torch.randn(c, generator=gen)))
        module.weight.copy_(0.5 + torch.rand(c, generator=gen))
        module.bias.copy_(0.2 * torch.randn(c, generator=gen))

    handles = [m.register_forward_pre_hook(hook) for m in _bn_modules(backbone)]
    try:
        backbone(sample)
    finally:
        for h in handles:
            h.remove()


def build_model(cfg: INTRConfig, seed: int = 0) -> INTR:
    """The model for cfg with weights fully determined by seed, in eval mode."""
    torch.manual_seed(seed)
    model = INTR(cfg)
    d = cfg.d_model
    for m in model.backbone.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
    # DETR's transformer init: Xavier on every matrix.
    for mod in (model.encoder, model.decoder):
        for p in mod.parameters():
            if p.dim() > 1:
                nn.init.xavier_uniform_(p)
    # Xavier-initialized Q/K projections give near-uniform softmaxes, and the
    # encoder then blurs all tokens together. A gain on both makes a random
    # model's attention selective; a softmax over more tokens needs a larger
    # score spread to stay as selective (normalized entropy ~0.5 at 12 tokens
    # with gain 2 and at 950 tokens with gain 3, hence the empirical power).
    qk_gain = 2.0 * (math.log(max(cfg.tokens, 2)) / math.log(12)) ** 0.4
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.MultiheadAttention):
                m.in_proj_weight[: 2 * d].mul_(qk_gain)
                # Zero biases by default; small random ones make the Adds matter.
                nn.init.normal_(m.in_proj_bias, std=0.02)
                nn.init.normal_(m.out_proj.bias, std=0.02)
    # Larger class queries sharpen the class-query attention further and make
    # the classes' outputs (and logits) differ more.
    nn.init.normal_(model.query_embed.weight, std=2.0)
    nn.init.normal_(model.presence.weight, std=1.0 / math.sqrt(d))
    nn.init.normal_(model.presence.bias, std=0.1)
    model.eval()
    gen = torch.Generator().manual_seed(seed + 2)
    sample = torch.randn(max(cfg.batch_size, 2), 3, cfg.image_height, cfg.image_width,
                         generator=gen)
    _calibrate_batchnorm(model.backbone, sample, gen)
    return model


def make_input(cfg: INTRConfig, seed: int = 0) -> Tensor:
    """The seeded random image batch the goldens are computed for."""
    gen = torch.Generator().manual_seed(seed + 1)
    return torch.randn(cfg.batch_size, 3, cfg.image_height, cfg.image_width, generator=gen)


def attention_stats(attention: Tensor) -> Dict[str, float]:
    """How far the per-head maps are from uniform (1.0 = uniform)."""
    t = attention.shape[-1]
    p = attention.clamp_min(1e-30)
    entropy = -(p * p.log()).sum(-1) / math.log(t)
    return {
        "mean_max_times_T": float(attention.max(-1).values.mean() * t),
        "mean_normalized_entropy": float(entropy.mean()),
    }
