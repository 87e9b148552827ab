{
    "name": "Test Missing Dependency (middle)",
    "version": "1.0",
    "category": "Tests",
    "depends": ["tm_nowhere"],
}
