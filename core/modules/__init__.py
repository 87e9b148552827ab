"""The module system: manifests, the dependency graph, data files, and
installing / upgrading / uninstalling addons on a live database
(``core.modules.manager``)."""
