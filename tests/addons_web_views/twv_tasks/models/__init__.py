from . import task
