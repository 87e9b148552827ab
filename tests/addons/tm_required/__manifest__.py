{
    "name": "Test Required Without Default",
    "version": "1.0",
    "category": "Tests",
    "depends": ["tm_library"],
}
