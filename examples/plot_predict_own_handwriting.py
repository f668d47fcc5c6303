"""
===============================
Predicting your own handwriting
===============================

A model trained on MNIST reads MNIST's digits and few others: each MNIST
digit was scaled to fit a 20x20 box, anti-aliased and centred by its centre
of mass in a 28x28 field, bright ink on black. A digit drawn in an app or
photographed on paper is none of that. This example draws ten digits with
matplotlib's pen, saves them as PNG files, reads them back with
:func:`~skmnist.load_images`, and predicts them with a LeNet-5 trained on the
shipped sample: once resized to 28x28 as they are, once prepared by
:class:`~skmnist.DigitNormalizer`.
"""

# %%
# Draw ten digits and save them as PNG
# ------------------------------------
# Each digit is a few pen strokes in a unit box. They are drawn slanted, at
# different sizes and places, with a ballpoint's width, most in dark ink on
# light paper and two in chalk on a blackboard.
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np


def arc(cx, cy, rx, ry, start, stop):
    """Points along an ellipse's arc, angles in degrees counter-clockwise from the right."""
    t = np.radians(np.linspace(start, stop, 40))
    return np.column_stack([cx + rx * np.cos(t), cy + ry * np.sin(t)])


STROKES = {
    0: [arc(0.5, 0.5, 0.3, 0.45, 90, 450)],
    1: [np.array([[0.3, 0.75], [0.55, 0.95], [0.5, 0.05]])],
    2: [np.vstack([arc(0.5, 0.68, 0.32, 0.27, 160, -40), [[0.12, 0.05], [0.9, 0.05]]])],
    3: [np.vstack([arc(0.5, 0.73, 0.28, 0.22, 160, -90), arc(0.5, 0.28, 0.32, 0.25, 90, -160)])],
    4: [np.array([[0.68, 0.05], [0.68, 0.95], [0.08, 0.32], [0.92, 0.32]])],
    5: [
        np.vstack(
            [[[0.82, 0.95], [0.3, 0.95], [0.25, 0.55]], arc(0.5, 0.32, 0.33, 0.28, 140, -155)]
        )
    ],
    6: [np.vstack([[[0.72, 0.95], [0.35, 0.62]], arc(0.5, 0.3, 0.29, 0.26, 165, -195)])],
    7: [np.array([[0.1, 0.95], [0.9, 0.95], [0.4, 0.05]])],
    8: [arc(0.5, 0.73, 0.22, 0.22, -90, 270), arc(0.5, 0.28, 0.28, 0.26, 90, 450)],
    9: [np.vstack([arc(0.5, 0.7, 0.28, 0.24, -10, 360), [[0.72, 0.05]]])],
}

folder = Path(tempfile.mkdtemp(prefix="skmnist-handwriting-"))
rng = np.random.default_rng(0)
for digit, strokes in STROKES.items():
    chalk = digit in (3, 8)
    fig = plt.figure(figsize=(1.2, 1.2), facecolor="#1e2b24" if chalk else "#f1ede2")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    size, slant = rng.uniform(0.45, 0.8), rng.uniform(-0.25, 0.05)
    left, bottom = rng.uniform(0.05, 0.95 - size * 0.8), rng.uniform(0.05, 0.95 - size)
    for stroke in strokes:
        x = left + size * 0.8 * (stroke[:, 0] + slant * (stroke[:, 1] - 0.5))
        ax.plot(
            x,
            bottom + size * stroke[:, 1],
            color="#eeeeee" if chalk else "#1c2a5a",
            linewidth=rng.uniform(4, 8),
            solid_capstyle="round",
            solid_joinstyle="round",
        )
    ax.set(xlim=(0, 1), ylim=(0, 1))
    fig.savefig(folder / f"digit_{digit}.png", dpi=80, facecolor=fig.get_facecolor())
    plt.close(fig)
print(sorted(path.name for path in folder.iterdir()))

# %%
# Read them back
# --------------
# :func:`~skmnist.load_images` reads image files and folders as grey uint8
# arrays, each its own size (a drawing on a transparent background would be
# flattened onto a background that contrasts with its ink).
from skmnist import load_images

drawn = load_images(folder)
truth = np.array([int(Path(name).stem.split("_")[1]) for name in drawn.filenames])
print(drawn.DESCR, drawn.images[0].shape, drawn.images[0].dtype)

# %%
# A model trained on MNIST
# ------------------------
# LeNet-5 on the 3,000 training images shipped with skmnist: about 90% of the
# sample's MNIST test images right after 8 epochs.
from sklearn.pipeline import make_pipeline

from skmnist import LeNet5Classifier, PixelNormalizer, load_mnist_sample

train, test = load_mnist_sample(subset="train"), load_mnist_sample(subset="test")
model = make_pipeline(PixelNormalizer(), LeNet5Classifier(max_epochs=8, random_state=0))
model.fit(train.data, train.target)
print(f"MNIST test sample: {model.score(test.data, test.target):.1%}")

# %%
# Resized as they are, and prepared like MNIST
# --------------------------------------------
# Resizing to 28x28 keeps the dark ink on light paper, the margins and the
# squeezed aspect ratio. :class:`~skmnist.DigitNormalizer` inverts light
# backgrounds (deciding for each image from its border), removes the paper's
# grain, crops to the ink, scales it to fit 20x20 keeping its aspect ratio
# and centres it by its centre of mass in 28x28: MNIST's own convention.
from PIL import Image

from skmnist import DigitNormalizer

resized = np.stack(
    [np.asarray(Image.fromarray(image).resize((28, 28), Image.LANCZOS)) for image in drawn.images]
).reshape(len(drawn.images), -1)
prepared = DigitNormalizer().transform(drawn.images)
predictions = {"resized": model.predict(resized), "DigitNormalizer": model.predict(prepared)}
for name, predicted in predictions.items():
    print(f"{name:16} {predicted.tolist()}  {np.mean(predicted == truth):.0%} right")

# %%
# Before and after, with the predictions (green: right, red: wrong):
rows = [
    ("as drawn", drawn.images, None),
    ("resized", resized.reshape(-1, 28, 28), predictions["resized"]),
    ("DigitNormalizer", prepared.reshape(-1, 28, 28), predictions["DigitNormalizer"]),
]
fig, axes = plt.subplots(3, 10, figsize=(10, 3.6), layout="constrained")
for (title, images, predicted), row in zip(rows, axes, strict=False):
    for i, (image, ax) in enumerate(zip(images, row, strict=False)):
        ax.imshow(image, cmap="gray", vmin=0, vmax=255)
        ax.set_xticks([])
        ax.set_yticks([])
        if predicted is not None:
            ax.set_title(str(predicted[i]), color="green" if predicted[i] == truth[i] else "red")
    row[0].set_ylabel(title, fontsize=9)
plt.show()

# %%
# In a pipeline, and from the command line
# ----------------------------------------
# The transformer is stateless, so it can go in front of a model already
# fitted, which then takes images of any size and polarity. Training with it
# in the pipeline (``skmnist train --prepare``) prepares MNIST's images the
# same way, which changes them very little.
own_model = make_pipeline(DigitNormalizer(), model)
print(own_model.predict(drawn.images).tolist())

# %%
# The same on the command line, for a folder of your own digits::
#
#     skmnist train --model lenet5 --prepare --out runs/lenet5
#     skmnist predict runs/lenet5 my_digits/
#
# or, with a model trained without ``--prepare``, ``skmnist predict
# runs/lenet5 my_digits/ --prepare``.

# %%
# Clean up the temporary folder.
for path in folder.iterdir():
    path.unlink()
folder.rmdir()
