from . import ir_model, ir_module
