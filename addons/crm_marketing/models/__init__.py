"""The models of e-mail marketing, one file per concept."""
