"""District reports: weekly, accountability, backlog, service, objectives, inventory (SQL aggregation)."""
