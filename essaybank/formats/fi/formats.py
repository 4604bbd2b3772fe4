"""Finnish dates as people here write them: 5.12.2026 and "5.12.2026 klo 10.12", where Django's own
Finnish formats spell the month out ("5. joulukuuta 2026 kello 10.12")."""

DATE_FORMAT = "j.n.Y"
SHORT_DATE_FORMAT = "j.n.Y"
DATETIME_FORMAT = r"j.n.Y \k\l\o G.i"
SHORT_DATETIME_FORMAT = r"j.n.Y \k\l\o G.i"
TIME_FORMAT = "G.i"
