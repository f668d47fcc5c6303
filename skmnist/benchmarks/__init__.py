"""Benchmarks runnable from an install: ``python -m skmnist.benchmarks.speed``, the suites, and the GPU check (``python -m skmnist.benchmarks.gpu_check``)."""
