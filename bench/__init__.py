"""Benchmarks: ratios against a peer measured in the same run, written as JSON."""
