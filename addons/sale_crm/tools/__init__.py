"""Tools of the CRM and Sales bridge (demo quotations)."""
