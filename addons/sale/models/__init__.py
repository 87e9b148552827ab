from . import (
    res_company,
    res_partner,
    sale_order,
    sale_order_document,
    sale_order_line,
    sale_order_mail,
    sale_order_portal,
    sale_order_revision,
    sale_order_salesperson,
)
