from . import (
    account_fiscal_position,
    account_incoterms,
    account_payment_term,
    account_tax,
    product_template,
    res_bank,
    res_company,
    res_partner,
)
