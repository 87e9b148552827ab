from . import doc
