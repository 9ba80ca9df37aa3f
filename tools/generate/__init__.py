"""Generators of committed files: the standalone explorer page and the trained weights."""
