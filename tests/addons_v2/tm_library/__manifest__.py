{
    # version 1.1 of tests/addons/tm_library, for the upgrade tests
    "name": "Test Library",
    "version": "1.1",
    "summary": "Books, for the module system's tests (second version)",
    "category": "Tests",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": [
        "data/tm.tag.csv",
        "data/tm_book_data.xml",
    ],
    "demo": ["demo/tm_book_demo.xml"],
}
