"""Development tools of skmnist, run from a checkout of the repository (not installed).

``python -m tools.NAME`` from the repository's root: the GPU check
(:mod:`tools.gpu_check`, with its time budget, :mod:`tools.budget`), the
selections it makes on the training set (:mod:`tools.selection`), the
small-data and own-digits benchmarks (:mod:`tools.small_data`,
:mod:`tools.own_digits`), the step profile (:mod:`tools.step_profile`), the
oldest versions declared (:mod:`tools.oldest`) and the script that made the
MNIST sample shipped with the package (:mod:`tools.make_sample`).
CONTRIBUTING.md says when to run each; their tests are in ``tests/tools/``.
"""
