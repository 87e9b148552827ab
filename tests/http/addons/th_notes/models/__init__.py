from . import th_note
