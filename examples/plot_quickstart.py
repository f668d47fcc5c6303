"""
===========
Quick start
===========

Train LeNet-5 in a scikit-learn :class:`~sklearn.pipeline.Pipeline` on the
MNIST sample shipped with skmnist, print the classification report of its
1,000 test images, and look at the confusion matrix and the mistakes.
"""

# %%
# The data
# --------
# :func:`~skmnist.load_mnist_sample` returns 3,000 training and 1,000 test
# images of MNIST, uint8 pixels, with no download. ``images`` is the same
# memory as ``data``, seen as 28x28 images.
from sklearn.metrics import classification_report
from sklearn.pipeline import Pipeline

from skmnist import LeNet5Classifier, PixelNormalizer, load_mnist_sample
from skmnist.plotting import ConfusionMatrixDisplay, ImageGridDisplay

train = load_mnist_sample(subset="train")
test = load_mnist_sample(subset="test")
print(train.data.shape, train.data.dtype, test.images.shape)

# %%
# Train
# -----
# :class:`~skmnist.PixelNormalizer` scales the pixels to [0, 1];
# :class:`~skmnist.LeNet5Classifier` is the classic convolutional network
# (61,706 parameters), trained here for 10 epochs with Adam.
model = Pipeline(
    [
        ("norm", PixelNormalizer()),
        ("clf", LeNet5Classifier(max_epochs=10, random_state=0)),
    ]
)
model.fit(train.data, train.target)

# %%
# Evaluate
# --------
# The test images were not used for training. On 3,000 training images LeNet-5
# gets about 92% right; on the full MNIST it reaches 99%.
y_pred = model.predict(test.data)
print(classification_report(test.target, y_pred, digits=3))

# %%
# The confusion matrix
# --------------------
# scikit-learn's :class:`~sklearn.metrics.ConfusionMatrixDisplay` takes the
# pipeline and the images as they are. Normalised by row, its diagonal is the
# recall of each digit.
disp = ConfusionMatrixDisplay.from_estimator(
    model, test.data, test.target, normalize="true", values_format=".2f", colorbar=False
)
_ = disp.ax_.set_title("LeNet-5 on the sample's test images")

# %%
# The most confident mistakes
# ---------------------------
# :class:`~skmnist.plotting.ImageGridDisplay` with ``errors_only=True`` shows
# the misclassified images, the most confidently wrong first, titled with the
# true label, the prediction and its probability.
# The pipeline takes the images in the layout it was fitted on, flat rows here.
ImageGridDisplay.from_estimator(model, test.data, test.target, errors_only=True, n_images=16)
