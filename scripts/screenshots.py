"""Screenshots of the web client's main views, for the documentation.

    python scripts/screenshots.py                     # docs/screenshots/*.png
    python scripts/screenshots.py --out /tmp/shots --only partner_list,apps
    python scripts/screenshots.py --modules base,mail

Creates a fresh SQLite database in a temporary folder, installs base and
every other available addon (``server.py modules``; ``--modules`` to
choose), fills it with sample data through the ORM (companies and
contacts of an export business, with tags, countries and Chinese names;
activities when the mail addon is installed), serves it with
``python server.py serve`` on a free loopback port, logs in as admin with
Playwright (Debian's ``/usr/bin/chromium``, headless) and saves one PNG
per view at 1280x800 (the phone screenshot at 375x812), in 256 colours:

login, home, partner_list, partner_form, partner_search (facets, a
group-by and the Group By menu open), partner_kanban, activity_calendar,
partner_graph, partner_pivot (these four only when their view types are
registered), apps (the growth-stage guide), partner_form_zh_TW (after
switching the language in the preferences) and partner_list_phone.

Where the installed addons declare no action with a view type, the
script creates one (as an addon would) so that the view can be shown:
a "Contacts" action when base has none, graph and pivot views of
contacts by country, an activity calendar. The database is deleted at
the end. Needs the ``test`` extra (playwright).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
OUT = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
PASSWORD = "admin"
SHOTS = ("login", "home", "partner_list", "partner_form", "partner_search", "partner_kanban",
         "activity_calendar", "partner_graph", "partner_pivot", "apps", "partner_form_zh_TW",
         "partner_list_phone")

#: name, country code, city, tags, contacts (name, job position)
COMPANIES = [
    ("Formosa Trading Co., Ltd.", "tw", "Taipei", ["Export", "VIP"],
     [("Lin Mei-Hua", "Sales Manager"), ("Chen Wei", "Buyer")]),
    ("台北精密工業股份有限公司", "tw", "新北市", ["Supplier"],
     [("王小明", "採購經理"), ("林美玲", "業務")]),
    ("Hamburg Imports GmbH", "de", "Hamburg", ["Export", "Wholesale"],
     [("Anna Schmidt", "Purchasing"), ("Jonas Weber", "Logistics")]),
    ("Pacific Tools Inc.", "us", "Seattle", ["Wholesale"],
     [("Emily Carter", "Category Manager")]),
    ("Osaka Components K.K.", "jp", "Osaka", ["Supplier", "VIP"],
     [("Sato Haruki", "Engineer"), ("Tanaka Yui", "Quality")]),
    ("Lyon Textiles SA", "fr", "Lyon", ["Export"], [("Claire Martin", "Director")]),
    ("Saigon Furniture JSC", "vn", "Ho Chi Minh City", ["Supplier"],
     [("Nguyen Van An", "Export Manager")]),
    ("Melbourne Outdoor Pty Ltd", "au", "Melbourne", ["Wholesale"],
     [("Olivia Brown", "Buyer"), ("Jack Wilson", "Accounts")]),
]


@dataclass
class Facts:
    """What the screenshots open: action ids by view type, the shown partner."""

    actions: dict[str, int] = field(default_factory=dict)
    partner: int = 0
    search: str = ""


# ---------------------------------------------------------------------------
# the database and its sample data
# ---------------------------------------------------------------------------
def available_modules() -> list[str]:
    from core.modules import graph

    return sorted(name for name, manifest in graph.discover(graph.addons_paths(None)).items()
                  if manifest.installable)


def prepare(url: str, modules: list[str]) -> Facts:
    from core.modules.manager import open_database

    db = open_database(url)
    try:
        db.install(modules)
        with db.env() as env:
            env.ref("base.user_admin").write({"password": PASSWORD, "tz": "Asia/Taipei"})
            companies = sample_partners(env)
            facts = Facts(partner=companies[0].id)
            partner_actions(env, facts)
            if "mail.activity" in env.registry:
                sample_activities(env, companies, facts)
            return facts
    finally:
        db.close()


def sample_partners(env: Any) -> Any:
    """The companies of COMPANIES with their contacts; returns the companies."""
    names = {name for _, _, _, tags, _ in COMPANIES for name in tags}
    tags = {name: env["res.partner.category"].create({"name": name}).id for name in names}
    companies = env["res.partner"]
    for index, (name, code, city, tag_names, contacts) in enumerate(COMPANIES):
        slug = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())[:12] \
            or f"company{index}"
        company = env["res.partner"].create({
            "name": name, "is_company": True, "city": city, "ref": f"C{index + 1:03d}",
            "country_id": env.ref(f"base.{code}").id, "email": f"info@{slug}.example",
            "phone": f"+{index + 1} 555 0{index}00", "website": f"https://{slug}.example",
            "category_id": [(6, 0, [tags[t] for t in tag_names])]})
        env["res.partner"].create([
            {"name": person, "function": job, "parent_id": company.id,
             "email": f"{person.split()[0].lower()}@{slug}.example" if person.isascii()
             else False, "phone": f"+{index + 1} 555 0{index}{n + 1:02d}"}
            for n, (person, job) in enumerate(contacts)])
        companies |= company
    return companies


def partner_actions(env: Any, facts: Facts) -> None:
    """The contacts' action (base's, else a new one) and one for graph and pivot."""
    action = env.ref("base.action_partner_form", raise_if_not_found=False)
    if action is None:
        action = env["ir.actions.act_window"].create({
            "name": "Contacts", "res_model": "res.partner", "view_mode": "list,kanban,form"})
        env["ir.ui.menu"].create({"name": "Contacts", "sequence": 4,
                                  "action": f"ir.actions.act_window,{action.id}"})
    for view_type in ("list", "form", "kanban"):
        facts.actions[view_type] = action.id
    facts.search = "type_company" if "type_company" in str(action.search_view_id.arch or "") \
        else ""
    analysis = env["ir.actions.act_window"].create({
        "name": "Contacts by country", "res_model": "res.partner",
        "view_mode": "graph,pivot,list,form"})
    facts.actions["graph"] = facts.actions["pivot"] = analysis.id
    views = {"graph": '<graph string="Contacts by country" type="bar">'
                      '<field name="country_id"/></graph>',
             "pivot": '<pivot string="Contacts by country"><field name="country_id" '
                      'type="row"/><field name="is_company" type="col"/></pivot>'}
    for view_type, arch in views.items():
        if not env["ir.ui.view"].search_count([("model", "=", "res.partner"),
                                                ("type", "=", view_type)]):
            env["ir.ui.view"].create({"name": f"res.partner.{view_type}.sample",
                                      "model": "res.partner", "type": view_type,
                                      "arch": arch})


def sample_activities(env: Any, companies: Any, facts: Facts) -> None:
    """Activities on the companies over this month, and a calendar of them."""
    today = dt.date.today()
    first = today.replace(day=1)
    kinds = ["mail.mail_activity_data_call", "mail.mail_activity_data_email",
             "mail.mail_activity_data_meeting", "mail.mail_activity_data_todo"]
    summaries = ["Follow up the quotation", "Send the samples", "Visit the factory",
                 "Confirm the shipping date", "Call about the L/C", "Price list 2027"]
    for index, company in enumerate(companies):
        for n in range(2):
            day = first + dt.timedelta(days=(index * 5 + n * 11) % 27)
            company.activity_schedule(kinds[(index + n) % len(kinds)], day,
                                      summary=summaries[(index + n) % len(summaries)])
    company = companies[0]
    company.message_post(body="Samples received; the customer asks for a quotation "
                              "of 500 units.", message_type="comment")
    action = env["ir.actions.act_window"].create({
        "name": "Activities", "res_model": "mail.activity", "view_mode": "calendar,list,form"})
    facts.actions["calendar"] = action.id


# ---------------------------------------------------------------------------
# the server
# ---------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(url: str, log: Path) -> Iterator[str]:
    """``python server.py serve`` on a free loopback port: its base URL."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("TROIKA_")}
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [sys.executable, "server.py", "serve", "--db-url", url, "--host", "127.0.0.1",
             "--port", str(port), "--no-cron"], cwd=ROOT, env=env, stdout=out,
            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start; see {log}")
            try:
                urllib.request.urlopen(base + "/web/webclient/version_info", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---------------------------------------------------------------------------
# the screenshots
# ---------------------------------------------------------------------------
class Camera:
    """Pages of one browser context, saved as ``<out>/<name>.png``."""

    def __init__(self, context: Any, base: str, out: Path, only: set[str]):
        self.page = context.new_page()
        self.page.set_default_timeout(30_000)
        self.base, self.out, self.only = base, out, only
        self.saved: list[str] = []

    def wanted(self, name: str) -> bool:
        return not self.only or name in self.only

    def open(self, path: str, ready: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_selector(ready)

    def shoot(self, name: str, path: str | None = None, ready: str = "body") -> None:
        if path is not None:
            self.open(path, ready)
        file = self.out / f"{name}.png"
        self.page.screenshot(path=str(file))
        shrink(file)
        self.saved.append(name)
        print(f"  {name}.png", flush=True)

    def login(self) -> None:
        self.open("/web/login", "#login")
        if self.wanted("login"):
            self.shoot("login")
        self.page.fill("#login", "admin")
        self.page.fill("#password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(self.base + "/web")


def shrink(file: Path) -> None:
    """A palette of 256 colours: a page's flat colours lose nothing visible, the
    file loses about half its size (Pillow comes with fpdf2; without it, as is)."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(file) as image:
        small = image.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
    small.save(file, optimize=True)


def registered_view_types() -> set[str]:
    import core.http.web.pages  # noqa: F401 - registers the view types
    from core.http.web import VIEW_RENDERERS

    return set(VIEW_RENDERERS)


def desktop_shots(camera: Camera, facts: Facts) -> None:
    contacts = f"/web/action/{facts.actions['list']}"
    steps = [("home", "/web", "body"),
             ("partner_list", f"{contacts}?view_type=list", "table.o-list"),
             ("partner_form", f"{contacts}/{facts.partner}", "#o-form")]
    for name, path, ready in steps:
        if camera.wanted(name):
            camera.shoot(name, path, ready)
    if camera.wanted("partner_search"):
        facets = f"&filter={facts.search}" if facts.search else ""
        camera.open(f"{contacts}?view_type=list&s=1{facets}&groupby=country_id",
                    "table.o-list .o-group-row")
        camera.page.click("details.o-dropdown summary:text-is('Group By')")
        camera.page.wait_for_selector("details.o-dropdown[open] .o-dropdown-menu")
        camera.shoot("partner_search")
    registered = registered_view_types()
    views = [("partner_kanban", "kanban", ".o-kanban"),
             ("activity_calendar", "calendar", ".o-calendar"),
             ("partner_graph", "graph", "svg"), ("partner_pivot", "pivot", "table")]
    for name, view_type, ready in views:
        if not camera.wanted(name):
            continue
        if view_type not in registered or view_type not in facts.actions:
            print(f"  {name}: skipped, no {view_type} view (renderer not registered or "
                  "no model to show)", flush=True)
            continue
        camera.shoot(name, f"/web/action/{facts.actions[view_type]}?view_type={view_type}",
                     ready)
    if camera.wanted("apps"):
        camera.open("/web/apps", "#o-apps-guide-title")
        camera.page.locator("#o-apps-guide-title").scroll_into_view_if_needed()
        camera.shoot("apps")


def chinese_shots(camera: Camera, facts: Facts) -> None:
    """Switch admin to zh_TW in the preferences, then the partner's form."""
    if not camera.wanted("partner_form_zh_TW"):
        return
    camera.open("/web/preferences", "#pref-lang")
    camera.page.select_option("#pref-lang", "zh_TW")
    camera.page.click("form[action='/web/preferences'] button[type=submit]")
    camera.page.wait_for_selector("html[lang^='zh']")
    camera.shoot("partner_form_zh_TW",
                 f"/web/action/{facts.actions['form']}/{facts.partner}", "#o-form")


def take(base: str, facts: Facts, out: Path, only: set[str]) -> list[str]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"])
        try:
            desktop = Camera(browser.new_context(viewport=DESKTOP, locale="en-US"),
                             base, out, only)
            desktop.login()
            desktop_shots(desktop, facts)
            if desktop.wanted("partner_list_phone"):
                phone = Camera(browser.new_context(viewport=PHONE, is_mobile=True,
                                                   has_touch=True, locale="en-US"),
                               base, out, only | {"partner_list_phone"})
                phone.login()
                phone.shoot("partner_list_phone",
                            f"/web/action/{facts.actions['list']}?view_type=list",
                            "table.o-list")
                desktop.saved += phone.saved
            chinese_shots(desktop, facts)
            return desktop.saved
        finally:
            browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder of the PNG files")
    parser.add_argument("--only", default="", help=f"comma-separated, among {', '.join(SHOTS)}")
    parser.add_argument("--modules", default="",
                        help="comma-separated modules to install (default: all available)")
    args = parser.parse_args()
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    if only - set(SHOTS):
        parser.error(f"unknown screenshots: {', '.join(sorted(only - set(SHOTS)))}")
    if not os.path.exists(CHROMIUM):
        parser.error(f"{CHROMIUM} is missing (apt-get install chromium)")
    modules = [m.strip() for m in args.modules.split(",") if m.strip()] or available_modules()
    args.out.mkdir(parents=True, exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix="troika_screenshots_"))
    try:
        url = f"sqlite:///{directory}/screenshots.db"
        print(f"installing {', '.join(modules)} and the sample data...", flush=True)
        facts = prepare(url, modules)
        with serving(url, directory / "server.log") as base:
            print(f"saving into {args.out}:", flush=True)
            saved = take(base, facts, args.out, only)
        print(f"{len(saved)} screenshots")
    except BaseException:
        print(f"server log kept in {directory}", file=sys.stderr)
        raise
    else:
        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
