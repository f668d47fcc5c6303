"""The draw-a-digit page's files: its model, exported by this build, and onnxruntime-web.

When the HTML build starts, a Pipeline of PixelNormalizer and the LeNet-5 of
:func:`~skmnist.benchmarks.suites.fast_recipe` is trained on the full MNIST
where the build finds it (``SKMNIST_DATA`` or ``~/skmnist_data``, never
downloaded), else on the sample shipped with skmnist, and exported to ONNX by
:func:`skmnist.onnx.export_onnx` (input: uint8 pixels of one 28x28 image as a
flat row, which the page prepares as DigitNormalizer does), on the sample
for as many optimizer steps as on the full MNIST; ``model.json``
beside it gives its classes, what it was trained on and its test accuracy. onnxruntime-web's
files are copied from ``docs/node_modules`` (``npm ci --prefix docs``
installs the version ``docs/package-lock.json`` pins; the README's docs command
runs it). Both go to the site's ``_static/`` (``draw/`` and ``ort/``), so the
page needs no network when it is viewed.
"""

import json
import shutil
import warnings
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

# what the page loads of onnxruntime-web's dist/: its WebAssembly-only script, and the
# runtime that script imports (run single-threaded here)
ORT_FILES = ("ort.wasm.min.js", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm")
MNIST_TRAIN = 60_000


def _training_data():
    """The full MNIST where it is found, else the shipped sample; and its description."""
    from skmnist import fetch_mnist, load_mnist_sample

    try:
        train = fetch_mnist(subset="train", download_if_missing=False)
        test = fetch_mnist(subset="test", download_if_missing=False)
        return train, test, "the full MNIST"
    except OSError:
        train, test = load_mnist_sample(subset="train"), load_mnist_sample(subset="test")
        return train, test, "the MNIST sample shipped with skmnist"


def _train_and_export(folder):
    import numpy as np
    from sklearn.pipeline import make_pipeline

    from skmnist import PixelNormalizer
    from skmnist.benchmarks.suites import fast_recipe
    from skmnist.onnx import export_onnx

    train, test, source = _training_data()
    recipe = fast_recipe()
    # as many optimizer steps on a smaller training set as on MNIST's 60,000 images
    epochs = max(recipe.max_epochs, round(recipe.max_epochs * MNIST_TRAIN / len(train.target)))
    recipe.set_params(max_epochs=epochs, random_state=0, device="cpu")
    model = make_pipeline(PixelNormalizer(), recipe)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(train.data, train.target)
        export_onnx(model, folder / "model.onnx", train.data[:1].astype(np.uint8), zipmap=False)
    accuracy = model.score(test.data, test.target)
    about = {
        "classes": [str(c) for c in model.classes_],
        "description": (
            f"The 10-second recipe (LeNet-5 with ReLU, max pooling and BatchNorm, "
            f"{model[-1].max_epochs} epochs) trained on {len(train.target):,} images of "
            f"{source}: {accuracy:.2%} of its {len(test.target):,} test images right."
        ),
    }
    (folder / "model.json").write_text(json.dumps(about))
    return about


def _vendor_ort(srcdir, folder):
    dist = Path(srcdir) / "node_modules" / "onnxruntime-web" / "dist"
    missing = [name for name in ORT_FILES if not (dist / name).is_file()]
    if missing:
        raise ExtensionError(
            f"onnxruntime-web is not in {dist.parent} (missing {', '.join(missing)}): run "
            "'npm ci --prefix docs' first (the README's docs command does)."
        )
    for name in ORT_FILES:
        shutil.copyfile(dist / name, folder / name)


def _on_builder_inited(app):
    if app.builder.format != "html":
        return
    static = Path(app.outdir).parent / "draw-static"
    (static / "draw").mkdir(parents=True, exist_ok=True)
    (static / "ort").mkdir(parents=True, exist_ok=True)
    _vendor_ort(app.srcdir, static / "ort")
    about = _train_and_export(static / "draw")
    logger.info("draw page: %s", about["description"])
    app.config.html_static_path.append(str(static))


def setup(app):
    app.connect("builder-inited", _on_builder_inited)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
