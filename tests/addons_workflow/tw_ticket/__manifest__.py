{
    "name": "Workflow test: tickets (version 1.0)",
    "version": "1.0",
    "category": "Tests",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": ["data/ticket_workflow.xml"],
}
