"""Benchmarks runnable from an install: speed, the suites, selections, own digits, the GPU check."""
