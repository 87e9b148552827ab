from . import author, book
