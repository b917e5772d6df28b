"""年度报告: the annual report's tables, their JSON shape, checks, and the parser of published reports."""
