{
    "name": "Test Other",
    "version": "1.0",
    "category": "Tests",
    "depends": ["base"],
}
