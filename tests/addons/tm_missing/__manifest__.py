{
    "name": "Test Missing",
    "version": "1.0",
    "category": "Tests",
    "depends": ["base", "tm_missing_dep"],
}
