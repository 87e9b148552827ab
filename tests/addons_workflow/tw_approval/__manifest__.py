{
    "name": "Workflow test: approvals, jobs and automated actions",
    "version": "1.0",
    "summary": "Purchases approved by a named user and by N board members; tasks for "
               "scheduled jobs, deferred jobs and automated actions",
    "category": "Tests",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": [
        "security/groups.xml",
        "security/ir.model.access.csv",
        "data/purchase_workflow.xml",
        "data/task_data.xml",
        "data/card_workflow.xml",
    ],
}
