from . import kb, pages
