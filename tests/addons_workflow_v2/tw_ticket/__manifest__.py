{
    "name": "Workflow test: tickets (version 1.1, without the waiting state)",
    "version": "1.1",
    "category": "Tests",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": ["data/ticket_workflow.xml"],
}
