"""Benchmarks runnable from an install: ``python -m skmnist.benchmarks.speed``."""
