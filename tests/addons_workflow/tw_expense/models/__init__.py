from . import tw_expense
