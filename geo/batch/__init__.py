"""Batch work over incident archives on Dask: the same geo functions, one partition per task."""
