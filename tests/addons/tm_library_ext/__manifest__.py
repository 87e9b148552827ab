{
    "name": "Test Library Extension",
    "version": "1.0",
    "summary": "Extends tm.book and adds authors",
    "category": "Tests",
    "license": "LGPL-3",
    "depends": ["tm_library"],
    "data": ["data/tm_author_data.xml"],
}
