from .taxes import TaxAmount, TaxResult, TaxSpec, Totals, compute_all, document_totals, round_to
