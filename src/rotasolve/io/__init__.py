"""Readers and writers: the Curtois benchmark format, JSON and CSV."""

from .curtois import read_curtois

__all__ = ["read_curtois"]
