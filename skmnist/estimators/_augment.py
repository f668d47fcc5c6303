"""Batched, on-device data augmentation for training images.

Random horizontal flips, then random affine transforms (rotation, scaling,
translation, shear), are applied to a whole batch at once with
:func:`torch.nn.functional.affine_grid` and
:func:`~torch.nn.functional.grid_sample`; elastic distortion adds a smoothed
random displacement field to the same sampling grid; random erasing blanks a
rectangle of some images (Zhong et al., 2020); Gaussian noise is added last.
Every random draw comes from the generator it is given (the estimators give
one seeded from ``random_state``), or from torch's global one without.

The settings are declared once in :data:`SETTINGS` (their "no change"
values and how each is described) and the presets in :data:`PRESETS`; the
``augment`` parameter's documentation is made from them.
"""

import math
from collections.abc import Callable
from numbers import Real
from typing import Any, NamedTuple

import torch
from torch.nn import functional as F

# Random erasing's rectangle, as in torchvision's RandomErasing: its area as a fraction of
# the image's, and its aspect ratio (height / width), drawn log-uniformly.
_ERASE_AREA = (0.02, 0.33)
_ERASE_RATIO = (0.3, 3.3)


class _Setting(NamedTuple):
    default: Any
    describe: Callable[[Any], str]  # a value in words, for a setting not at its default
    meaning: str  # what the setting is, for resolve_augment's documentation


#: Every augmentation setting: its "no change" value, how a value is described, and
#: what the setting is.
SETTINGS = {
    "hflip": _Setting(
        0.0,
        lambda p: f"a left-right flip of {p:.0%} of the images",
        "probability of a left-right flip",
    ),
    "rotation": _Setting(
        0.0, lambda v: f"rotation up to {v:g} degrees", "largest rotation, in degrees"
    ),
    "scale": _Setting(
        (1.0, 1.0), lambda v: f"scaling {v[0]:g}-{v[1]:g}", "(low, high) zoom factors"
    ),
    "translation": _Setting(
        0.0,
        lambda v: f"translation up to {v:.0%}",
        "largest shift, as a fraction of the image size",
    ),
    "shear": _Setting(0.0, lambda v: f"shear up to {v:g} degrees", "largest shear, in degrees"),
    "elastic_alpha": _Setting(
        0.0,
        lambda v: f"elastic distortion of {v:g} pixels",
        "displacement of the elastic distortion, in pixels",
    ),
    "elastic_sigma": _Setting(
        3.0,
        lambda v: f"smoothed over {v:g} pixels",
        "smoothness of the elastic distortion, in pixels",
    ),
    "erase": _Setting(
        0.0,
        lambda p: f"random erasing of {p:.0%} of the images",
        f"probability of setting a random rectangle of {_ERASE_AREA[0]:.0%} to "
        f"{_ERASE_AREA[1]:.0%} of the image to 0 (random erasing)",
    ),
    "noise_std": _Setting(
        0.0,
        lambda v: f"Gaussian noise of standard deviation {v:g}",
        "Gaussian noise on the [0, 1] scale",
    ),
}

#: Named settings for the estimators' ``augment`` parameter.
PRESETS = {
    "affine": {"rotation": 10.0, "scale": (0.9, 1.1), "translation": 0.1, "shear": 10.0},
    "elastic": {
        "rotation": 10.0,
        "scale": (0.9, 1.1),
        "translation": 0.1,
        "shear": 10.0,
        "elastic_alpha": 2.0,
        "elastic_sigma": 3.0,
    },
    "noise": {"noise_std": 0.1},
    # clothing is left-right symmetric, digits are not
    "flip": {"hflip": 0.5, "translation": 0.1},
}


def describe_augment(settings) -> str:
    """What ``settings`` (a preset's, or :func:`resolve_augment`'s) do, in words.

    Examples
    --------
    >>> from skmnist.estimators._augment import describe_augment
    >>> describe_augment({"noise_std": 0.1})
    'Gaussian noise of standard deviation 0.1'
    """
    full = {name: s.default for name, s in SETTINGS.items()} | dict(settings)
    words = [
        SETTINGS[name].describe(value)
        for name, value in full.items()
        if value != SETTINGS[name].default
        and not (name == "elastic_sigma" and not full["elastic_alpha"])
    ]
    return ", ".join(words) or "nothing"


def resolve_augment(augment):
    """The full settings for an ``augment`` parameter value, or None.

    ``augment`` is None, a preset name from
    :data:`~skmnist.estimators.AUGMENT_PRESETS`, or a dict of any of the
    augmentation settings (listed with the presets in the API reference);
    the others keep their "no change" values.

    Parameters
    ----------
    augment : None, str or dict
        The estimators' ``augment`` parameter.

    Returns
    -------
    settings : dict or None
        Every setting, the ones not given at their "no change" defaults;
        None when ``augment`` is None.

    Raises
    ------
    ValueError
        For an unknown preset or setting, or a bad ``scale``.

    Examples
    --------
    >>> from skmnist.estimators import resolve_augment
    >>> resolve_augment("affine")["rotation"], resolve_augment("affine")["noise_std"]
    (10.0, 0.0)
    >>> settings = resolve_augment({"rotation": 15, "noise_std": 0.05})
    >>> settings["rotation"], settings["scale"], settings["noise_std"]
    (15, (1.0, 1.0), 0.05)
    >>> resolve_augment(None) is None
    True
    """
    if augment is None:
        return None
    if isinstance(augment, str):
        if augment not in PRESETS:
            raise ValueError(
                f"augment must be None, one of the presets {sorted(PRESETS)}, or a dict; "
                f"got {augment!r}."
            )
        augment = PRESETS[augment]
    if not isinstance(augment, dict):
        raise ValueError(f"augment must be None, a preset name or a dict; got {augment!r}.")
    unknown = sorted(set(augment) - set(SETTINGS))
    if unknown:
        raise ValueError(f"unknown augment settings {unknown}; known: {sorted(SETTINGS)}.")
    settings = {name: setting.default for name, setting in SETTINGS.items()} | augment
    scale = settings["scale"]
    if not (
        isinstance(scale, (tuple, list))
        and len(scale) == 2
        and all(_is_number(v) for v in scale)
        and 0 < scale[0] <= scale[1]
    ):
        raise ValueError(f"augment scale must be (low, high) with 0 < low <= high; got {scale!r}.")
    for key in sorted(set(SETTINGS) - {"scale"}):
        if not (_is_number(settings[key]) and settings[key] >= 0):
            raise ValueError(f"augment {key} must be a number >= 0; got {settings[key]!r}.")
    for key in ("hflip", "erase"):
        if settings[key] > 1:
            raise ValueError(f"augment {key} is a probability, from 0 to 1; got {settings[key]!r}.")
    if settings["elastic_alpha"] and not settings["elastic_sigma"] > 0:
        raise ValueError("augment elastic_sigma must be > 0 when elastic_alpha is set.")
    return settings


def _is_number(value):
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


def augment_batch(x, settings, generator=None):
    """Apply random augmentation ``settings`` to images ``x`` of shape (n, c, h, w).

    Each image gets its own random transform, drawn from ``generator``; the
    whole batch is transformed at once, on ``x``'s device.

    Parameters
    ----------
    x : torch.Tensor of shape (n, c, h, w)
        Floating-point images, pixels on the [0, 1] scale.
    settings : dict
        Full settings, as :func:`resolve_augment` returns them.
    generator : torch.Generator or None, default=None
        Where the random numbers come from, on ``x``'s device; None draws
        from torch's global generator.

    Returns
    -------
    augmented : torch.Tensor of shape (n, c, h, w)
        New images, of ``x``'s dtype and device.

    Examples
    --------
    >>> import torch
    >>> from skmnist.estimators import augment_batch, resolve_augment
    >>> x = torch.zeros(8, 1, 28, 28)
    >>> x[:, :, 8:20, 12:16] = 1.0  # a bar, like a "1"
    >>> generator = torch.Generator().manual_seed(0)
    >>> out = augment_batch(x, resolve_augment("affine"), generator)
    >>> out.shape, out.dtype
    (torch.Size([8, 1, 28, 28]), torch.float32)
    >>> bool((out != x).any())  # moved, turned, scaled and sheared
    True
    """
    n, _, h, w = x.shape
    device, dtype = x.device, x.dtype

    def rand(*shape):
        return torch.rand(*shape, device=device, dtype=dtype, generator=generator)

    def uniform(low, high):
        return rand(n) * (high - low) + low

    if settings["hflip"]:
        flip = rand(n) < settings["hflip"]
        x = torch.where(flip.view(n, 1, 1, 1), x.flip(3), x)
    grid = None
    if (
        settings["rotation"]
        or settings["shear"]
        or settings["translation"]
        or settings["scale"] != (1.0, 1.0)
    ):
        angle = uniform(-1, 1) * math.radians(settings["rotation"])
        shear = uniform(-1, 1) * math.radians(settings["shear"])
        scale = uniform(*settings["scale"])
        shift = settings["translation"] * 2  # grid coordinates span [-1, 1]
        tx, ty = uniform(-shift, shift), uniform(-shift, shift)
        cos, sin, tan = torch.cos(angle), torch.sin(angle), torch.tan(shear)
        # theta maps output to input coordinates: rotation @ shear, over the zoom
        linear = torch.stack(
            [torch.stack([cos, cos * tan - sin], 1), torch.stack([sin, sin * tan + cos], 1)], 1
        ) / scale.view(n, 1, 1)
        theta = torch.cat([linear, torch.stack([tx, ty], 1).unsqueeze(2)], dim=2)
        grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    if settings["elastic_alpha"]:
        if grid is None:
            identity = torch.eye(2, 3, device=device, dtype=dtype).expand(n, 2, 3)
            grid = F.affine_grid(identity, list(x.shape), align_corners=False)
        grid = grid + _elastic_field(n, h, w, settings, rand(n * 2, 1, h, w))
    if grid is not None:
        x = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    if settings["erase"]:
        x = _erase(x, settings["erase"], rand)
    if settings["noise_std"]:
        noise = torch.randn(x.shape, device=device, dtype=dtype, generator=generator)
        x = x + settings["noise_std"] * noise
    return x


def _erase(x, p, rand):
    """Set a random rectangle of each image to 0 with probability ``p``, batched.

    ``rand(*shape)`` draws uniform numbers in [0, 1) on ``x``'s device.
    """
    n, _, h, w = x.shape
    device = x.device

    def uniform(low, high):
        return rand(n) * (high - low) + low

    area = uniform(*_ERASE_AREA) * (h * w)
    ratio = torch.exp(uniform(*(math.log(r) for r in _ERASE_RATIO)))
    eh = torch.sqrt(area * ratio).round().clamp(1, h)
    ew = torch.sqrt(area / ratio).round().clamp(1, w)
    top = (rand(n) * (h - eh + 1)).floor()
    left = (rand(n) * (w - ew + 1)).floor()
    rows = torch.arange(h, device=device).view(1, h)
    cols = torch.arange(w, device=device).view(1, w)
    in_rows = (rows >= top.view(n, 1)) & (rows < (top + eh).view(n, 1))
    in_cols = (cols >= left.view(n, 1)) & (cols < (left + ew).view(n, 1))
    erased = rand(n) < p
    mask = (in_rows.view(n, 1, h, 1) & in_cols.view(n, 1, 1, w)) & erased.view(n, 1, 1, 1)
    return x.masked_fill(mask, 0.0)


def _elastic_field(n, h, w, settings, uniform):
    """A random displacement field, smoothed by a Gaussian, in grid units (n, h, w, 2).

    ``uniform`` holds (2n, 1, h, w) numbers drawn uniformly from [0, 1).
    """
    device, dtype = uniform.device, uniform.dtype
    sigma = settings["elastic_sigma"]
    radius = max(1, int(3 * sigma))
    taps = torch.arange(-radius, radius + 1, device=device, dtype=dtype)
    kernel = torch.exp(-(taps**2) / (2 * sigma**2))
    kernel = kernel / kernel.sum()
    field = uniform * 2 - 1
    field = F.conv2d(field, kernel.view(1, 1, 1, -1), padding=(0, radius))
    field = F.conv2d(field, kernel.view(1, 1, -1, 1), padding=(radius, 0))
    field = field / field.abs().amax(dim=(2, 3), keepdim=True).clamp_min(1e-6)
    # alpha pixels of displacement, in grid units where the image spans 2 (scaled by
    # Python numbers: a tensor made from a list would be a copy from the host per batch)
    field = field.view(n, 2, h, w) * settings["elastic_alpha"]
    return torch.stack((field[:, 0] * (2.0 / w), field[:, 1] * (2.0 / h)), dim=-1)
