"""Benchmarks: figures printed as a table, not pass/fail (run with `make bench`)."""
