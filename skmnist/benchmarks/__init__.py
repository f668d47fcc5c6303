"""Benchmarks runnable from an install: speed, the suites, own digits and the GPU check."""
