"""Helpers of e-mail marketing that are not models: reading a saved segment's domain."""
