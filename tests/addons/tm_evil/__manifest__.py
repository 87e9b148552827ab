{
    "name": "Test Evil",
    "version": "1.0",
    "category": "Tests",
    "depends": ["tm_library"],
    "data": ["data/evil.xml"],
}
