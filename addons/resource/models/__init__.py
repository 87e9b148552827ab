from . import (
    res_company,
    resource_calendar,
    resource_calendar_attendance,
    resource_calendar_leaves,
)
