from . import book
