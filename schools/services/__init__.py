"""Writes for the schools module, split by sub-domain. Every function checks its actor."""
