"""
============================================
Imbalanced classes: class and sample weights
============================================

When one class is rare in the training data, a network trained on the mean
loss learns that guessing against it is cheap, and its recall on that class
suffers. ``class_weight="balanced"`` weighs each class's samples by
``n_samples / (n_classes * n_samples_of_class)``, as scikit-learn's
classifiers do, so that every class counts alike in the loss;
``fit(X, y, sample_weight=w)`` weighs single samples (the two multiply).

This example makes the digit 3 rare, keeping 5% of its training images, then
trains LeNet-5 with and without ``class_weight="balanced"`` and compares
their recall per digit and their balanced accuracy on the test images, where
3 is as common as any other digit.
"""

# %%
# A training set with a rare digit
# --------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import balanced_accuracy_score, recall_score

from skmnist import LeNet5Classifier, load_mnist_sample

RARE, KEPT = 3, 0.05

train = load_mnist_sample(subset="train")
test = load_mnist_sample(subset="test")
rng = np.random.default_rng(0)
rare = np.flatnonzero(train.target == RARE)
dropped = rng.choice(rare, size=len(rare) - round(KEPT * len(rare)), replace=False)
keep = np.setdiff1d(np.arange(len(train.target)), dropped)
X_train, y_train = train.images[keep], train.target[keep]
print(f"training images of each digit: {np.bincount(y_train).tolist()}")

# %%
# With and without class weights
# ------------------------------
# The same network, seed and budget; only ``class_weight`` differs.
models = {
    "no weights": LeNet5Classifier(max_epochs=15, random_state=0),
    'class_weight="balanced"': LeNet5Classifier(
        max_epochs=15, class_weight="balanced", random_state=0
    ),
}
recalls = {}
for name, clf in models.items():
    clf.fit(X_train, y_train)
    y_pred = clf.predict(test.images)
    recalls[name] = recall_score(test.target, y_pred, average=None)
    print(
        f"{name:>24}: balanced accuracy {balanced_accuracy_score(test.target, y_pred):.3f}, "
        f"recall of {RARE}: {recalls[name][RARE]:.3f}"
    )

# %%
# Recall per digit
# ----------------
# The weighted loss buys the rare digit's recall back at a small cost to the
# digits it was confused with.
digits = np.arange(10)
fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
for offset, (name, recall) in zip((-0.2, 0.2), recalls.items(), strict=True):
    ax.bar(digits + offset, recall, width=0.4, label=name)
ax.axvspan(RARE - 0.5, RARE + 0.5, color="0.9", zorder=0)
ax.set(
    xticks=digits,
    xlabel=f"digit ({RARE}: {KEPT:.0%} of its training images kept)",
    ylabel="test recall",
    ylim=(0, 1.05),
)
ax.legend(loc="lower right")
plt.show()
