"""Benchmarks runnable from an install: the speed benchmark, the suites and the GPU check."""
