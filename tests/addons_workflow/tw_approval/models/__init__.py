from . import card, purchase, task
