{
    "name": "Broken workflows: the model they use",
    "version": "1.0",
    "category": "Tests",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": ["security/groups.xml"],
}
