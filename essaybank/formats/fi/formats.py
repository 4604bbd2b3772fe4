"""Finnish dates as people here write them: 5.12.2026 and "5.12.2026 klo 10.12", where Django's own
Finnish formats spell the month out ("5. joulukuuta 2026 kello 10.12"). The short formats (j.n.Y,
"j.n.Y G.i", which spreadsheet exports turn into cell formats) and the time (G.i) are Django's."""

DATE_FORMAT = "j.n.Y"
DATETIME_FORMAT = r"j.n.Y \k\l\o G.i"
