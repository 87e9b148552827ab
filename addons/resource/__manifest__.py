{
    "name": "Working Time",
    "version": "1.0",
    "summary": "Working-hours calendars: attendances per weekday, time zone, holidays",
    "description": "Working schedules (resource.calendar) with their attendance hours per "
                   "weekday, a time zone and public holidays; planning N working hours from "
                   "a moment and counting the working hours between two moments. Helpdesk "
                   "SLAs, and later leaves and manufacturing, count time with them.",
    "category": "Hidden",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": [
        "security/ir.model.access.csv",
        "data/resource_data.xml",
        "views/resource_calendar_views.xml",
    ],
    "installable": True,
    "sequence": 40,
}
