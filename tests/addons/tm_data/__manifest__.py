{
    "name": "Test Data Files",
    "version": "1.0",
    "summary": "Every construct of the XML and CSV data grammar",
    "category": "Tests",
    "depends": ["tm_library"],
    "data": ["data/tm_note_data.xml", "data/tm.note.csv"],
}
