{
    "name": "Test Bad Manifest",
    "version": "1.0",
    "depends": "base",
}
