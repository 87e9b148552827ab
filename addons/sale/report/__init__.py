from .sale_order_pdf import find_font, render_order_pdf
