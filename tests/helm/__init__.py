"""Tests that run the real Helm 3 and Helm 4 binaries."""
