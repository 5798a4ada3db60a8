"""Benchmark harness for qualcode: a seeded synthetic corpus and timed runners.

Run from the repository root, e.g. ``python -m benchmarks.bench_coding --quick``;
see ``benchmarks/README.md``.
"""
