"""``python server.py i18n``: extract, update and load translations.

    python server.py i18n extract crm                 # addons/crm/i18n/crm.pot
    python server.py i18n extract web                 # core/http/i18n/web.pot (templates)
    python server.py i18n update crm --lang zh_TW     # merge crm.pot into zh_TW.po
    python server.py i18n load --lang zh_TW [crm ...] # fill translated fields of a
                                                      # database from the catalogs

``extract`` and ``update`` work on the files only (no database);
``load`` writes the translations of the given installed modules (default:
all) into the records of the database, as an install or upgrade does;
``--overwrite`` also replaces texts users changed. Progress goes to
stderr, the result to stdout.
"""

from __future__ import annotations

import argparse
import sys

from core.exceptions import UserError


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Add ``i18n`` and its actions to the command line's subcommands."""
    i18n = commands.add_parser("i18n", help="extract, update and load translations")
    actions = i18n.add_subparsers(dest="i18n_action", metavar="action", required=True)
    extract = actions.add_parser("extract", help="write i18n/<module>.pot from the code, "
                                                 "models, data files and templates")
    extract.add_argument("modules", nargs="+", metavar="module",
                         help="addon names, or 'web' for the kernel's templates")
    extract.add_argument("--addons-path", default=None, help="extra addon folders")
    update = actions.add_parser("update", help="merge i18n/<module>.pot into "
                                               "i18n/<lang>.po, keeping translations")
    update.add_argument("modules", nargs="+", metavar="module")
    update.add_argument("--lang", required=True, help="language code, e.g. zh_TW")
    update.add_argument("--addons-path", default=None, help="extra addon folders")
    load = actions.add_parser("load", help="fill the translated fields of a database "
                                           "from the installed modules' catalogs")
    load.add_argument("--db-url", default=None, help="database URL (default: "
                      "$TROIKA_DB_URL or sqlite:///var/troika.db)")
    load.add_argument("--addons-path", default=None, help="extra addon folders")
    load.add_argument("--lang", default=None,
                      help="the language to load (default: every active language)")
    load.set_defaults(demo=False)
    load.add_argument("modules", nargs="*", metavar="module",
                      help="installed modules (default: all)")
    load.add_argument("--overwrite", action="store_true",
                      help="also replace translations that users changed")


def run(args: argparse.Namespace) -> int:
    """Run the ``i18n`` action of the parsed command line."""
    from core.i18n import extract as extraction

    if args.i18n_action == "extract":
        for module in args.modules:
            target, catalog = extraction.extract(module, args.addons_path, _progress)
            print(f"{target}: {len(catalog)} messages")
        return 0
    if args.i18n_action == "update":
        for module in args.modules:
            print(extraction.update(module, args.lang, args.addons_path, _progress))
        return 0
    return _load(args)


def _load(args: argparse.Namespace) -> int:
    from core.cli import _open
    from core.i18n import records

    langs = [args.lang] if args.lang else None
    with _open(args) as db, db.env() as env:
        installed = list(env.registry.installed_modules)
        unknown = [name for name in args.modules if name not in installed]
        if unknown:
            raise UserError(f"Not installed: {', '.join(unknown)}")
        overwrite = True if args.overwrite else None
        total = 0
        for name in args.modules or installed:
            count = records.load_data_translations(env, name, None, langs, overwrite)
            _progress(f"{name}: {count} texts")
            total += count
        total += records.load_metadata_translations(env, db.addons, langs)
    print(f"Loaded {total} translated texts")
    return 0
