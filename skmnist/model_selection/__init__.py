"""Hyperparameter search: scikit-learn's searches, Optuna, Dask, and their results.

The estimators are scikit-learn estimators, so scikit-learn's searches tune
them as they are, architecture and training parameters in one grid::

    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.pipeline import Pipeline
    from skmnist import LeNet5Classifier, PixelNormalizer

    pipe = Pipeline([("norm", PixelNormalizer()), ("clf", LeNet5Classifier(random_state=0))])
    grid = {"clf__fc_dropout": [0.0, 0.5], "clf__lr": [1e-3, 1e-2],
            "clf__optimizer": ["adam", "sgd"], "clf__lr_schedule": [None, "plateau"]}
    search = GridSearchCV(pipe, grid, cv=StratifiedKFold(5), n_jobs=2).fit(X, y)

:class:`~sklearn.model_selection.RandomizedSearchCV` takes distributions
(``scipy.stats.loguniform(1e-4, 1e-1)`` for ``clf__lr``) the same way, and
``HalvingRandomSearchCV`` (experimental in scikit-learn) can spend epochs as
its resource: ``resource="clf__max_epochs", max_resources=20``.

This module adds :func:`~skmnist.model_selection.cv_results_frame` (a
search's candidates as a DataFrame) and
:func:`~skmnist.model_selection.seed_search_space` (a ready-made Optuna
search space); :class:`skmnist.plotting.SearchResultsDisplay` plots the score
against each parameter. Optuna and Dask are optional:
``pip install "skmnist[tune]"``, ``pip install "skmnist[distributed]"``.

Parallel fits and CPU threads
-----------------------------
- ``n_jobs=k`` with joblib's default backend ("loky") runs the fits in worker
  processes started with ``OMP_NUM_THREADS``, ``MKL_NUM_THREADS``, ... set to
  ``cpu_count() // k``; torch reads them when it starts in a worker, so each
  fit uses its share of the cores (when this process has these variables
  set, the workers get their values instead).
- Fits in threads of one process (joblib's "threading" backend,
  ``OptunaSearchCV(n_jobs=k)`` and ``Study.optimize(n_jobs=k)``, Dask workers
  with several threads) each use torch's thread count as the process has it;
  the estimators never change it (sharing the cores out between such fits
  did not make them faster when measured). To give each its share, call
  ``torch.set_num_threads`` in your own code. Such fits draw weight
  initialisation and dropout from torch's one global random state, so they
  are not reproducible even with ``random_state`` set; fits in processes
  are.
- Processes you start yourself (Optuna workers sharing a study, Dask workers)
  take their thread counts from their environment: start each with
  ``OMP_NUM_THREADS`` and ``MKL_NUM_THREADS`` (torch reads both; the second
  wins) set to its share of the cores. Dask's workers get 1 unless the
  environment of ``dask worker`` sets them.
- Avoid joblib's "multiprocessing" backend: its forked workers keep torch's
  full thread count, and forking a process whose torch has already run
  threads can hang.

GPUs
----
With ``device="auto"`` every worker trains on the first GPU it sees. So
``n_jobs=k`` on a one-GPU machine puts ``k`` processes on that GPU, each with
its own CUDA context (some 300-500 MB before any data) and its own copy of
the training data (up to half the free memory it sees, unless
``device_data_budget`` caps it), and their kernels share the GPU's time.
Memory is the hard limit; whether two workers finish sooner than one depends
on how idle one leaves the GPU (small networks on MNIST leave it idle much of
the time), so keep ``n_jobs`` at 1 or 2 per GPU. (Fits in threads of one
process share its CUDA context.) For several GPUs, run one single-threaded Dask worker per GPU, each
seeing only its own::

    CUDA_VISIBLE_DEVICES=0 dask worker tcp://scheduler:8786 --nworkers 1 --nthreads 1
    CUDA_VISIBLE_DEVICES=1 dask worker tcp://scheduler:8786 --nworkers 1 --nthreads 1

or, on one machine, ``dask_cuda.LocalCUDACluster()``, which starts such a
worker for every GPU.

A Dask cluster
--------------
joblib's "dask" backend sends the fits of any scikit-learn search to the
workers of a Dask cluster; the estimators and pipelines pickle to the workers
and back, fitted or not, and with ``random_state`` set the scores equal a
search run here. The workers need the same versions of skmnist and torch::

    import joblib
    from distributed import Client

    client = Client("tcp://scheduler:8786")   # or Client(LocalCluster(n_workers=2))
    with joblib.parallel_config(backend="dask", scatter=[X, y]):
        search.fit(X, y)                      # the refit of the best runs here

``scatter=[X, y]`` sends the data to every worker once rather than with each
fit. A script that starts a ``LocalCluster`` of worker processes must do so
under ``if __name__ == "__main__":``, as the workers import the script.

Optuna
------
``optuna_integration.OptunaSearchCV`` samples parameters from Optuna
distributions, such as ``seed_search_space``'s::

    from optuna_integration import OptunaSearchCV
    from skmnist.model_selection import seed_search_space

    search = OptunaSearchCV(pipe, seed_search_space(prefix="clf__", dropout="fc_dropout"),
                            cv=StratifiedKFold(3), n_trials=30, random_state=0)
    search.fit(X, y)   # search.study_, search.trials_dataframe()

With ``enable_pruning=True`` it trains by ``partial_fit`` (one epoch per
call, ``classes`` passed each time, ``max_iter`` calls) and gives the study's
pruner the mean of the folds' test scores after each epoch. A
:class:`~sklearn.pipeline.Pipeline` has no ``partial_fit``: tune the
estimator itself (it scales integer pixels on its own) over
``seed_search_space(for_partial_fit=True)``, with a pruner such as
``optuna.pruners.MedianPruner()`` in the ``study`` given to the search, and
set its ``max_epochs`` to ``max_iter``, as the refit of the best uses ``fit``.

Processes and machines share a study through a database: each runs::

    study = optuna.create_study(study_name="lenet", storage="sqlite:///lenet.db",
                                direction="maximize", load_if_exists=True)
    OptunaSearchCV(pipe, space, study=study, n_trials=20).fit(X, y)

with a SQLite file on one machine, or a ``"postgresql://user:password@host/db"``
storage for several. ``optuna.visualization.matplotlib``'s
``plot_optimization_history(study)`` and ``plot_param_importances(study)``
show the study.

Examples
--------
>>> from skmnist.model_selection import seed_search_space
>>> space = seed_search_space(prefix="clf__")
>>> space["clf__batch_size"]
CategoricalDistribution(choices=(64, 128, 256))
"""

from ._optuna import seed_search_space
from ._results import cv_results_frame

__all__ = ["cv_results_frame", "seed_search_space"]
