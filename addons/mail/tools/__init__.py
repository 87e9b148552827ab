"""Helpers of the mail addon that are not models: rendering, SMTP, parsing."""
