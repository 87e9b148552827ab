"""core/i18n/catalogs.py: reading .po files with babel, merging, caching."""

from __future__ import annotations

import os
import time

import pytest
from babel.support import NullTranslations

from core.i18n import catalogs
from core.i18n.catalogs import (
    CatalogError,
    load_module_catalog,
    merged_catalog,
    read_catalog_file,
    translations,
)

PO = """\
msgid ""
msgstr ""
"Language: zh_TW\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Apple"
msgstr "{apple}"

msgctxt "fruit.basket,kind"
msgid "Apple"
msgstr "蘋果品種"

#, fuzzy
msgid "Pear"
msgstr "梨子"

msgid "Plum"
msgstr ""

msgid "%(n)s apple"
msgid_plural "%(n)s apples"
msgstr[0] "%(n)s 顆蘋果"
"""


def write_po(folder, name="zh_TW.po", apple="蘋果"):
    path = folder / "i18n" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PO.format(apple=apple), encoding="utf-8")
    return path


def test_a_po_file_is_read_with_contexts_without_fuzzy_or_empty_entries(tmp_path):
    catalog = read_catalog_file(write_po(tmp_path), "zh_TW")
    assert catalog.get("Apple") == "蘋果"
    assert catalog.get("Apple", ("fruit.basket,kind",)) == "蘋果品種"
    assert catalog.get("Apple", ("other,context",)) == "蘋果"    # falls back to no context
    assert catalog.get("Pear") is None                          # fuzzy: ignored
    assert catalog.get("Plum") is None                          # untranslated
    assert catalog.translations.gettext("Apple") == "蘋果"
    assert catalog.translations.pgettext("fruit.basket,kind", "Apple") == "蘋果品種"
    assert catalog.translations.ngettext("%(n)s apple", "%(n)s apples", 3) == "%(n)s 顆蘋果"
    assert catalog.get("%(n)s apple") == "%(n)s 顆蘋果"


def test_a_changed_file_is_read_again(tmp_path):
    path = write_po(tmp_path)
    first = read_catalog_file(path, "zh_TW")
    assert read_catalog_file(path, "zh_TW") is first               # cached
    write_po(tmp_path, apple="紅蘋果")
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))
    assert read_catalog_file(path, "zh_TW").get("Apple") == "紅蘋果"


def test_a_language_reads_its_plain_language_file_first(tmp_path):
    write_po(tmp_path, "zh.po", apple="苹果")
    (tmp_path / "i18n" / "zh.po").write_text(
        PO.format(apple="苹果") + '\nmsgid "Grape"\nmsgstr "葡萄"\n', encoding="utf-8")
    write_po(tmp_path, "zh_TW.po", apple="蘋果")
    catalog = load_module_catalog("zh_TW", "fruit", tmp_path)
    assert catalog.get("Apple") == "蘋果"          # the territory's file wins
    assert catalog.get("Grape") == "葡萄"          # the language's file fills in


def test_a_malformed_file_names_itself(tmp_path):
    path = tmp_path / "i18n" / "zh_TW.po"
    path.parent.mkdir()
    path.write_text('msgid "Apple"\nmsgstr "蘋果"\nthis is not po\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=str(path)):
        read_catalog_file(path, "zh_TW")


def test_base_ships_traditional_chinese():
    catalog = load_module_catalog("zh_TW", "base")
    assert len(catalog) > 400
    assert catalog.get("Contact") == "聯絡人"
    assert catalog.get("State", ("res.partner,state_id",)) == "州/省"
    assert catalog.get("State") == "狀態"
    web = load_module_catalog("zh_TW", catalogs.WEB)
    for english, chinese in [("Log in", "登入"), ("Save", "儲存"), ("Discard", "捨棄"),
                             ("Archive", "封存"), ("Group By", "分組依據"),
                             ("Favorites", "我的最愛"), ("Uninstall", "解除安裝")]:
        assert web.get(english) == chinese


def test_merged_translations_follow_the_module_order(env):
    """ti_shop translates "Notes" as 筆記, base as 備註: the later module wins."""
    modules = env.registry.installed_modules
    assert modules.index("ti_shop") > modules.index("base")
    merged = translations("zh_TW", modules)
    assert merged.gettext("Notes") == "筆記"
    assert merged.gettext("Log in") == "登入"                   # the web catalog under them
    assert merged.gettext("Contact") == "聯絡人"
    assert translations("zh_TW", ["base"]).gettext("Notes") == "備註"
    assert merged_catalog("zh_TW", modules) is merged_catalog("zh_TW", modules)   # cached


def test_english_is_the_source_language():
    source = translations("en_US", ["base"])
    assert isinstance(source, NullTranslations)
    assert source.gettext("Contact") == "Contact"
    assert merged_catalog("en_US", ["base"]).get("Contact") is None
