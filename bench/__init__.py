"""Benchmarks of casegraph's speed and memory (not tests): `python -m bench` or `make bench`."""
