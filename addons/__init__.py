"""Troika's addons. Extra addon folders are appended to this package's
``__path__`` by the module system, so ``import addons.<name>`` finds an
addon wherever it lives."""
