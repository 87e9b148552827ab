"""For a version before the installed one: never run by an upgrade from 1.0."""


def migrate(env, version):
    raise AssertionError("migration 0.9 must not run when upgrading from 1.0")
