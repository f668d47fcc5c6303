"""
==================================
Ensembling with a VotingClassifier
==================================

skmnist estimators are scikit-learn classifiers, so scikit-learn's
:class:`~sklearn.ensemble.VotingClassifier` combines them as it is: with
``voting="soft"`` it averages their predicted probabilities. Networks that
make different mistakes, a dense one and two convolutional ones here, tend to
correct each other.
"""

# %%
# Three networks and their ensemble
# ---------------------------------
# The ensemble clones and fits each of its estimators; each gets its own
# seed: an MLP with dropout, LeNet-5 with ReLU and max pooling, and a CNN made
# narrower (8/16/32 feature maps) to keep this example fast on a CPU.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.ensemble import VotingClassifier
from sklearn.metrics import accuracy_score

from skmnist import CNNClassifier, LeNet5Classifier, MLPNetClassifier, load_mnist_sample
from skmnist.plotting import ConfusionMatrixDisplay

X_train, y_train = load_mnist_sample(subset="train", return_X_y=True)
X_test, y_test = load_mnist_sample(subset="test", return_X_y=True)

estimators = [
    (
        "mlp",
        MLPNetClassifier(hidden_layer_sizes=(256,), dropout=0.3, max_epochs=15, random_state=0),
    ),
    ("lenet5", LeNet5Classifier(activation="relu", pooling="max", max_epochs=10, random_state=3)),
    ("cnn", CNNClassifier(channels=(8, 16, 32), max_epochs=10, random_state=2)),
]
ensemble = VotingClassifier(estimators, voting="soft")
ensemble.fit(X_train, y_train)

# %%
# Accuracy on the test images
# ---------------------------
# The fitted members are in ``named_estimators_``. The vote is a little better
# than its best member here; with 1,000 test images, half a point is 5 images,
# so take the size of the gain with a grain of salt.
scores = {
    name: accuracy_score(y_test, clf.predict(X_test))
    for name, clf in ensemble.named_estimators_.items()
}
scores["soft vote"] = accuracy_score(y_test, ensemble.predict(X_test))
for name, score in scores.items():
    print(f"{name:10} {score:.3f}")

fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
colors = ["tab:gray"] * (len(scores) - 1) + ["tab:blue"]
bars = ax.barh(list(scores)[::-1], list(scores.values())[::-1], color=colors[::-1])
ax.bar_label(bars, labels=[f"{s:.1%}" for s in list(scores.values())[::-1]], padding=3)
_ = ax.set(xlim=(0.85, 1.0), xlabel="test accuracy", title="Soft voting on the MNIST sample")

# %%
# Where the members disagree
# --------------------------
# Of the test images that at least one member gets wrong, how many does the
# vote get right?
predictions = np.array([clf.predict(X_test) for clf in ensemble.named_estimators_.values()])
some_wrong = (predictions != y_test).any(axis=0)
vote_right = ensemble.predict(X_test) == y_test
print(
    f"{some_wrong.sum()} images fool at least one member; "
    f"the vote gets {(some_wrong & vote_right).sum()} of them right."
)

# %%
# The ensemble's confusion matrix
# -------------------------------
disp = ConfusionMatrixDisplay.from_estimator(ensemble, X_test, y_test, colorbar=False)
_ = disp.ax_.set_title("Soft vote of an MLP, LeNet-5 and a CNN")
