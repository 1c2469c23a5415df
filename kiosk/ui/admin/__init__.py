"""Admin screens in technician mode: the district's setup (staff, campuses, rotation, catalog, calendar)."""
