"""Readers that turn transcript files into canonical text plus structure."""
