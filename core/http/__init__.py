"""The web layer: a WSGI application on werkzeug, sessions kept in the
database, pages rendered with jinja2 (autoescaped)."""
