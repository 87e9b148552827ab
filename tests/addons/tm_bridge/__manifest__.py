{
    "name": "Test Bridge",
    "version": "1.0",
    "category": "Tests",
    "depends": ["tm_library", "tm_other"],
    "data": ["data/tm_bridge_data.xml"],
    "auto_install": True,
}
