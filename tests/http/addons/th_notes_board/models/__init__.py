from . import th_board
