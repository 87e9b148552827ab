{
    "name": "Test Bad Data",
    "version": "1.0",
    "category": "Tests",
    "depends": ["tm_library"],
    "data": ["data/tm_good.xml", "data/tm_bad.xml"],
}
