"""
Grid search over a pipeline with stratified folds
=================================================

The skmnist estimators are scikit-learn estimators, so
:class:`~sklearn.model_selection.GridSearchCV` tunes a network's
architecture and its training in one grid, over a
:class:`~sklearn.pipeline.Pipeline` scored by
:class:`~sklearn.model_selection.StratifiedKFold` cross-validation. We
search on the 3,000 training images shipped with skmnist, look at the results
with :func:`~skmnist.model_selection.cv_results_frame` and
:class:`~skmnist.plotting.SearchResultsDisplay`, and score the best pipeline
once on the 1,000 test images. Randomized search and successive halving
(spending epochs as the resource) follow.
"""

# %%
# The pipeline and the grid
# -------------------------
# The grid crosses an architecture parameter (``dropout``) with training
# parameters (the optimizer, its learning rate and a learning-rate schedule).
# Step names prefix the parameters: ``clf__lr`` is the ``lr`` of the step
# ``"clf"``.
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from skmnist import MLPNetClassifier, PixelNormalizer, load_mnist_sample
from skmnist.model_selection import cv_results_frame
from skmnist.plotting import SearchResultsDisplay

X_train, y_train = load_mnist_sample(subset="train", return_X_y=True)
X_test, y_test = load_mnist_sample(subset="test", return_X_y=True)

pipe = Pipeline(
    [
        ("norm", PixelNormalizer()),
        ("clf", MLPNetClassifier(max_epochs=3, batch_size=64, random_state=0)),
    ]
)
grid = {
    "clf__dropout": [0.0, 0.3],
    "clf__optimizer": ["adam", "sgd"],
    "clf__lr": [1e-3, 1e-2],
    "clf__lr_schedule": [None, "plateau"],
}

# %%
# The search
# ----------
# 16 candidates, 3 folds each. ``n_jobs=2`` trains two folds at a time in
# worker processes; joblib starts them with ``cpu_count() // n_jobs`` threads
# each, which torch keeps to, so the two do not fight over the cores.
search = GridSearchCV(pipe, grid, cv=StratifiedKFold(3), n_jobs=2)
search.fit(X_train, y_train)
print("best:", search.best_params_, f"({search.best_score_:.3f})")

# %%
# The candidates, best first
# --------------------------
# One row per candidate, parameters as columns (``param_`` prefix dropped),
# ``lr_schedule=None`` kept as None.
results = cv_results_frame(search)
print(results.to_string(float_format="{:.3f}".format))

# %%
# Score against each parameter
# ----------------------------
# Each candidate is a point with an error bar of one standard deviation over
# the folds. The optimizer matters most: in 3 epochs SGD needs the larger
# learning rate, while Adam does well with either. Dropout changes little, and
# the candidates with and without the plateau schedule tie: the training loss
# falls every epoch, so the schedule (patience 2) never lowers the rate.
disp = SearchResultsDisplay.from_search(search)

# %%
# The best pipeline on the test set
# ---------------------------------
# ``GridSearchCV`` refitted the best candidate on all the training images.
from sklearn.metrics import classification_report

print(classification_report(y_test, search.predict(X_test), digits=3))

# %%
# Randomized search and successive halving
# ----------------------------------------
# :class:`~sklearn.model_selection.RandomizedSearchCV` samples candidates from
# distributions. ``HalvingRandomSearchCV`` (experimental in scikit-learn)
# trains many candidates briefly and the best longer: with
# ``resource="clf__max_epochs"``, 9 candidates train 1 epoch, the best 3 of
# them 3 epochs and the best of those 9.
from scipy.stats import loguniform, uniform
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import HalvingRandomSearchCV, RandomizedSearchCV

distributions = {"clf__lr": loguniform(1e-4, 3e-2), "clf__dropout": uniform(0.0, 0.5)}
randomized = RandomizedSearchCV(
    pipe, distributions, n_iter=4, cv=StratifiedKFold(3), n_jobs=2, random_state=0
).fit(X_train, y_train)
print(cv_results_frame(randomized).to_string(float_format="{:.4f}".format))

halving = HalvingRandomSearchCV(
    pipe,
    distributions,
    resource="clf__max_epochs",
    min_resources=1,
    max_resources=9,
    factor=3,
    n_candidates=9,
    cv=StratifiedKFold(3),
    n_jobs=2,
    random_state=0,
).fit(X_train, y_train)
print(cv_results_frame(halving).head(4).to_string(float_format="{:.4f}".format))

# %%
# The halving search's iterations, drawn as separate series: the candidates
# kept for more epochs score higher.
disp = SearchResultsDisplay.from_search(halving)
