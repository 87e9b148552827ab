"""Keys that tell whether two partners or leads are the same company.

    normalize_company_name("Lichtwerk Handels GmbH & Co. KG")   # 'lichtwerk handels'
    normalize_company_name("台北光電股份有限公司")                 # '台北光電'
    email_domain("Anna <anna@lichtwerk.de>")                    # 'lichtwerk.de'
    email_domain("someone@gmail.com")                           # False: a public mailbox
    normalize_vat("DE 123.456.789")                             # 'DE123456789'

Duplicate detection compares these keys (stored on ``res.partner`` and
``crm.lead``), so that "Lichtwerk GmbH", "LICHTWERK Handels GmbH" and
"lichtwerk handels gmbh." meet, and two buyers at @lichtwerk.de point to
one customer, while two gmail.com addresses do not.
"""

from __future__ import annotations

import re
import unicodedata
from email.utils import parseaddr

#: legal forms dropped from company names (compared in lower case, after punctuation)
LEGAL_FORMS = (
    "gmbh & co kg", "gmbh & co", "gmbh", "mbh", "ag", "kg", "ohg", "ug", "e k",
    "co ltd", "co limited", "company limited", "limited", "ltd", "llc", "l l c", "inc",
    "incorporated", "corp", "corporation", "co", "company", "plc", "lp", "llp",
    "sa", "s a", "sas", "sarl", "srl", "spa", "bv", "b v", "nv", "ab", "as", "oy",
    "ltda", "s a de c v", "pte ltd", "pte", "pty ltd", "pty", "sdn bhd", "bhd",
    "kk", "k k", "fze", "fzco", "fz llc", "wll", "w l l", "est", "trading",
)
#: Chinese and Japanese legal forms (no spaces around them)
CJK_FORMS = ("股份有限公司", "有限公司", "有限責任公司", "企業社", "公司", "株式会社",
             "有限会社", "合同会社")
#: mailbox providers whose domain says nothing about the company
PUBLIC_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.com.tw", "yahoo.co.jp",
    "yahoo.de", "yahoo.co.uk", "hotmail.com", "hotmail.de", "outlook.com", "live.com",
    "msn.com", "icloud.com", "me.com", "aol.com", "gmx.de", "gmx.net", "web.de",
    "t-online.de", "qq.com", "163.com", "126.com", "sina.com", "hinet.net",
    "msa.hinet.net", "naver.com", "mail.ru", "yandex.ru", "proton.me", "protonmail.com",
    "example.com",
})
_PUNCTUATION = re.compile(r"[^\w\s&]+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def normalize_company_name(name: str | None) -> str | bool:
    """A company's name without case, accents, punctuation and legal form."""
    if not name:
        return False
    text = unicodedata.normalize("NFKC", name).casefold()
    for form in CJK_FORMS:          # 台北光電股份有限公司, 株式会社ヒカリ, ヒカリ株式会社
        if text.endswith(form) and len(text) > len(form):
            text = text[: -len(form)]
            break
        if text.startswith(form) and len(text) > len(form):
            text = text[len(form):]
            break
    text = _SPACES.sub(" ", _PUNCTUATION.sub(" ", text)).strip()
    text = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    changed = True
    while changed:
        changed = False
        for form in LEGAL_FORMS:
            if text.endswith(" " + form) and len(text) > len(form) + 1:
                text = text[: -len(form) - 1].rstrip(" &")
                changed = True
    return text.strip() or False


def email_normalize(email: str | None) -> str | bool:
    """The lower-case address of ``email`` ('Anna <Anna@X.de>' -> 'anna@x.de')."""
    address = parseaddr(email or "")[1].strip().lower()
    return address if "@" in address else False


def email_domain(email: str | None) -> str | bool:
    """The company domain of an address, False for public mailbox providers."""
    address = email_normalize(email)
    if not address:
        return False
    domain = address.rsplit("@", 1)[1]
    return False if domain in PUBLIC_DOMAINS else domain


def normalize_vat(vat: str | None) -> str | bool:
    """A tax id without spaces, dots and dashes, in upper case."""
    if not vat:
        return False
    return re.sub(r"[\s.\-/]", "", vat).upper() or False
