"""
Grid search on a Dask cluster
=============================

joblib, which scikit-learn's searches use to run their fits in parallel, can
hand them to a `Dask <https://distributed.dask.org>`_ cluster: a scheduler
that sends each fit to one of many workers, on one machine or many. The
search code does not change; only the place where the fits run does. Dask is
an optional dependency: ``pip install "skmnist[distributed]"``.
"""

# %%
# A cluster and a client
# ----------------------
# Here a ``LocalCluster`` of two single-threaded workers
# stands in for a real cluster. ``processes=False`` keeps the workers in this
# process, as threads, so that the example also runs as a plain script: a
# script that starts worker processes must do so under
# ``if __name__ == "__main__":``, because each worker imports it. Fits that
# train at the same time in threads of one process share torch's CPU threads,
# so the two workers do not oversubscribe the cores; but they also share
# torch's global random state, from which weight initialisation and dropout
# draw, so their scores vary a little from run to run even with
# ``random_state`` set. Worker processes, as on a real cluster, give the
# scores of a serial search exactly (the test suite checks this on a
# ``LocalCluster`` of processes).
from distributed import Client, LocalCluster, get_task_stream

cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
client = Client(cluster)
print(client)

# %%
# The search, run by the cluster
# ------------------------------
# Inside ``joblib.parallel_config(backend="dask")``, the search's fits go to
# the cluster's workers; ``scatter=[X, y]`` sends the data to each worker once
# instead of with every fit. The refit of the best candidate runs here.
from collections import Counter

import joblib
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from skmnist import LeNet5Classifier, PixelNormalizer, load_mnist_sample
from skmnist.model_selection import cv_results_frame
from skmnist.plotting import SearchResultsDisplay

X, y = load_mnist_sample(subset="train", return_X_y=True)
X_test, y_test = load_mnist_sample(subset="test", return_X_y=True)
X, y = X[:1500], y[:1500]

pipe = Pipeline(
    [
        ("norm", PixelNormalizer()),
        ("clf", LeNet5Classifier(max_epochs=2, batch_size=64, random_state=0)),
    ]
)
grid = {"clf__lr": [3e-4, 3e-3], "clf__fc_dropout": [0.0, 0.5]}
search = GridSearchCV(pipe, grid, cv=StratifiedKFold(3))
with get_task_stream(client) as tasks, joblib.parallel_config(backend="dask", scatter=[X, y]):
    search.fit(X, y)
# the 12 fits (4 candidates x 3 folds), shared by the two workers
print(Counter(task["worker"] for task in tasks.data))

# %%
# The results
# -----------
print(cv_results_frame(search).to_string(float_format="{:.4g}".format))
print(f"test accuracy of the best: {search.score(X_test, y_test):.3f}")
disp = SearchResultsDisplay.from_search(search)
client.close()
cluster.close()

# %%
# A real cluster
# --------------
# Start a scheduler on one machine and workers on the others, then connect to
# the scheduler instead of starting a ``LocalCluster``::
#
#     dask scheduler                                              # prints tcp://host:8786
#     dask worker tcp://host:8786 --nworkers 16 --nthreads 1      # on each CPU machine
#
#     client = Client("tcp://host:8786")
#     with joblib.parallel_config(backend="dask", scatter=[X, y]):
#         search.fit(X, y)
#
# Every worker needs the same versions of skmnist, torch and scikit-learn.
# Dask starts its worker processes with ``OMP_NUM_THREADS=1`` and
# ``MKL_NUM_THREADS=1``, so each runs torch on one thread; one single-threaded
# worker per core (``--nworkers 16 --nthreads 1`` on 16 cores) uses a machine
# fully. For fewer, bigger workers, set both variables in the environment of
# ``dask worker``.
#
# GPU workers
# -----------
# Give each GPU one worker with one thread, and let each see only its GPU;
# ``device="auto"`` then trains on it::
#
#     CUDA_VISIBLE_DEVICES=0 dask worker tcp://host:8786 --nworkers 1 --nthreads 1
#     CUDA_VISIBLE_DEVICES=1 dask worker tcp://host:8786 --nworkers 1 --nthreads 1
#
# or, on one machine, ``dask_cuda.LocalCUDACluster()``, which starts such a
# worker for every GPU. Workers sharing one GPU each hold a CUDA context (some
# 300-500 MB) and a copy of the data, and take turns on the GPU.
