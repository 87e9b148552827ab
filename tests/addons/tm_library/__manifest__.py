{
    "name": "Test Library",
    "version": "1.0",
    "summary": "Books, for the module system's tests",
    "category": "Tests",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": [
        "data/tm.tag.csv",
        "data/tm_book_data.xml",
    ],
    "demo": ["demo/tm_book_demo.xml"],
}
