"""Django's month names, kept in our catalogue so that Spanish writes them in lower case.

Django's es_MX catalogue capitalises them ("1 de Enero de 2026"); Mexican Spanish
writes "1 de enero de 2026". Our catalogue (LOCALE_PATHS) overrides Django's, but
`makemessages --no-obsolete` keeps only the msgids it finds in our sources: these.
Nothing imports this module; the `date` filter and `formats.date_format` look the
names up through django.utils.dates with these same msgids.
"""

from django.utils.translation import gettext_noop

MONTH_NAMES = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
