"""
==========================================
LeNet-5, an MLP and a CNN: learning curves
==========================================

Train the three networks of skmnist on the shipped sample, holding out 10% of
the training images for validation, and compare their learning curves with
:class:`~skmnist.plotting.TrainingHistoryDisplay`, then their test accuracy,
size and training time.
"""

# %%
# Three estimators
# ----------------
# ``early_stopping=True`` holds out a stratified ``validation_fraction`` of
# the training data, records the validation loss and accuracy every epoch,
# and keeps the weights of the best validation epoch; ``lr_schedule="cosine"``
# lowers the learning rate along a cosine over the epochs. The CNN is made
# narrower here (8/16/32 feature maps instead of 32/64/128) so that this
# example runs in seconds on a CPU.
import time

import matplotlib.pyplot as plt

from skmnist import CNNClassifier, LeNet5Classifier, MLPNetClassifier, load_mnist_sample
from skmnist.plotting import TrainingHistoryDisplay

X_train, y_train = load_mnist_sample(subset="train", return_X_y=True)
X_test, y_test = load_mnist_sample(subset="test", return_X_y=True)

common = dict(
    max_epochs=12,
    early_stopping=True,
    validation_fraction=0.1,
    n_iter_no_change=4,
    lr=2e-3,
    lr_schedule="cosine",
    random_state=0,
)
models = {
    "MLP 784-82-56-28-10 tanh": MLPNetClassifier(
        hidden_layer_sizes=(82, 56, 28), activation="tanh", **common
    ),
    "LeNet-5": LeNet5Classifier(**common),
    "CNN (8/16/32 maps)": CNNClassifier(channels=(8, 16, 32), **common),
}

rows = []
for name, clf in models.items():
    start = time.perf_counter()
    clf.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    n_params = int(clf.summary()["n_params"].sum())
    rows.append((name, clf.score(X_test, y_test), n_params, seconds, len(clf.history_)))
    print(
        f"{name}: test accuracy {rows[-1][1]:.3f}, {n_params:,} parameters, "
        f"{len(clf.history_)} epochs, {seconds:.1f} s"
    )

# %%
# Learning curves
# ---------------
# One row per model: loss, accuracy and learning rate per epoch, on the
# training batches and on the held-out validation images. The MLP and LeNet-5
# fit their training batches ever better while their validation loss levels
# off well above; the MLP, which knows nothing of neighbouring pixels, has the
# widest gap. The CNN trains with dropout, which makes its training batches
# harder than the validation images (its training loss stays above its
# validation loss); it generalises best.
fig, axes = plt.subplots(len(models), 3, figsize=(12, 9), layout="constrained", sharex=True)
for row, (name, clf) in zip(axes, models.items(), strict=False):
    TrainingHistoryDisplay.from_estimator(clf, ax=row)
    row[0].set_ylabel(name)
for ax in axes[:-1].ravel():
    ax.set_xlabel("")

# %%
# Accuracy, size and time
# -----------------------
fig, (ax_acc, ax_time) = plt.subplots(1, 2, figsize=(10, 3), layout="constrained", sharey=True)
names = [row[0] for row in rows]
ax_acc.barh(names, [row[1] for row in rows], color="tab:blue")
ax_acc.set(xlim=(0.8, 1.0), xlabel="test accuracy")
for i, row in enumerate(rows):
    ax_acc.annotate(
        f"{row[1]:.1%} ({row[2]:,} parameters)",
        (row[1], i),
        xytext=(-4, 0),
        textcoords="offset points",
        ha="right",
        va="center",
        color="white",
        fontsize=8,
    )
ax_time.barh(names, [row[3] for row in rows], color="tab:gray")
_ = ax_time.set(xlabel="fit time (s)")

# %%
# On the full MNIST, LeNet-5 reaches 99.0%, the MLP 97.8% and the full-width
# CNN 99.5% (:doc:`/user_guide/performance`).
