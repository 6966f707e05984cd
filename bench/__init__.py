"""Benchmarks: each module has ``main() -> str`` returning a markdown table; ratios are measured
against a baseline in the same run (see bench/README.md)."""
