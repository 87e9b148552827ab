{
    "name": "Workflow test: expenses",
    "version": "1.0",
    "depends": ["base"],
    "data": [
        "security/groups.xml",
        "security/ir.model.access.csv",
        "data/expense_workflow.xml",
    ],
}
