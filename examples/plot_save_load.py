"""
==========================
Saving and loading a model
==========================

A fitted skmnist estimator can be saved two ways: with :func:`joblib.dump`
(pickle: anything, but loading a file runs code from it) or with
:func:`~skmnist.save_model` (a safetensors file of the weights, with the
parameters, classes and training history as JSON: loading it runs no code).
This example saves a LeNet-5 both ways in a temporary folder, loads it back,
and checks that the loaded models predict exactly as the original.
"""

# %%
# Train a model
# -------------
import tempfile
from pathlib import Path

import joblib
import matplotlib.pyplot as plt

from skmnist import LeNet5Classifier, load_mnist_sample, load_model, save_model
from skmnist.plotting import ImageGridDisplay, TrainingHistoryDisplay

train = load_mnist_sample(subset="train")
test = load_mnist_sample(subset="test")
clf = LeNet5Classifier(max_epochs=8, early_stopping=True, random_state=0)
clf.fit(train.images, train.target)

# %%
# Save it both ways
# -----------------
folder = Path(tempfile.mkdtemp(prefix="skmnist-example-"))
save_model(clf, folder / "lenet5.safetensors")
joblib.dump(clf, folder / "lenet5.joblib")
for path in sorted(folder.iterdir()):
    print(f"{path.name:20} {path.stat().st_size / 1024:6.0f} KiB")

# %%
# Load and compare
# ----------------
# ``load_model`` rebuilds the estimator from its class name and parameters,
# and puts the weights back; ``device="cpu"`` puts it on the CPU whatever it
# was trained on.
from_safetensors = load_model(folder / "lenet5.safetensors", device="cpu")
from_joblib = joblib.load(folder / "lenet5.joblib")
print(from_safetensors)

reference = clf.predict_proba(test.images)
for name, loaded in [("safetensors", from_safetensors), ("joblib", from_joblib)]:
    same = (loaded.predict_proba(test.images) == reference).all()
    print(
        f"{name:12} identical probabilities: {same}, "
        f"test accuracy {loaded.score(test.images, test.target):.3f}"
    )

# %%
# The history travels with the model
# ----------------------------------
# The safetensors file keeps the training history, so the learning curves of a
# loaded model can still be drawn.
TrainingHistoryDisplay.from_estimator(from_safetensors)

# %%
# The loaded model's predictions on the first test images:
ImageGridDisplay.from_estimator(from_safetensors, test.images, test.target, n_images=12, n_cols=6)
# sphinx_gallery_thumbnail_number = 2
plt.show()

# %%
# Clean up the temporary folder.
for path in folder.iterdir():
    path.unlink()
folder.rmdir()
