{
    "name": "Test Cycle A",
    "version": "1.0",
    "category": "Tests",
    "depends": ["tm_cycle_b"],
}
