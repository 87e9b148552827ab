{
    "name": "Test Cycle B",
    "version": "1.0",
    "category": "Tests",
    "depends": ["tm_cycle_a"],
}
