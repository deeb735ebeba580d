"""Measuring the real network: probes, measurement files, their statistics, the echo server."""
