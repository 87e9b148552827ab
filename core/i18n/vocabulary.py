"""The web client's common words: extracted into the web catalog and translated
even before a template or a view uses them.

    from core.i18n.vocabulary import WEB_CLIENT_WORDS
    "Save" in WEB_CLIENT_WORDS         # True: {{ _("Save") }} is translated

Texts a page translates at run time (``{{ _(title) }}`` of a value made in
Python) are listed here too, so that extraction keeps them. A template or
a controller that shows one of these words should spell it
exactly so (``_("Group By")``, not ``_("Group by")``), so that the users of
every language read the same word for the same button.
"""

from __future__ import annotations

from core.i18n.translate import _lt

WEB_CLIENT_WORDS = (
    # record actions
    _lt("Save"), _lt("Discard"), _lt("Edit"), _lt("Create"), _lt("New"), _lt("Delete"),
    _lt("Duplicate"), _lt("Archive"), _lt("Unarchive"), _lt("Archived"), _lt("Cancel"),
    _lt("Confirm"), _lt("Close"), _lt("Ok"), _lt("Yes"), _lt("No"), _lt("Actions"),
    _lt("Print"), _lt("Add a line"), _lt("Remove"), _lt("Open"), _lt("Back"),
    _lt("Are you sure?"), _lt("Are you sure you want to delete this record?"),
    _lt("Unsaved changes"), _lt("Discard changes?"),
    # searching and navigating
    _lt("Search"), _lt("Search..."), _lt("Filters"), _lt("Group By"), _lt("Favorites"),
    _lt("Save current search"), _lt("Add Custom Filter"), _lt("Export"), _lt("Import"),
    _lt("Previous"), _lt("Next"), _lt("Records"), _lt("Record"), _lt("No records yet."),
    _lt("Loading..."), _lt("List"), _lt("Form"), _lt("Kanban"), _lt("Calendar"),
    _lt("Graph"), _lt("Pivot"), _lt("Total"), _lt("Home"),
    # the apps and the user's menu
    _lt("Settings"), _lt("Apps"), _lt("Install"), _lt("Upgrade"), _lt("Uninstall"),
    _lt("Installed"), _lt("Not Installed"), _lt("Log in"), _lt("Log out"), _lt("Login"),
    _lt("Password"), _lt("Preferences"), _lt("Language"), _lt("Timezone"),
    _lt("Contacts"), _lt("Companies"), _lt("Users"), _lt("Groups"), _lt("Currencies"),
    _lt("Countries"), _lt("Languages"), _lt("Technical"), _lt("Users & Companies"),
    # the titles of the error pages (core.http.hardening.TITLES, shown with _(title))
    _lt("Bad request"), _lt("Log in required"), _lt("Access denied"), _lt("Page not found"),
    _lt("Method not allowed"), _lt("Request too large"), _lt("Something went wrong"),
)
