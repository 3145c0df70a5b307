/* HTML for the pages iopaths writes (report, compare): every value from a CSV,
 * a file name or the command line goes through html_text, never raw. */
#ifndef IOPATHS_HTML_H
#define IOPATHS_HTML_H

#include <stdio.h>

/* s with & < > " ' escaped: safe as element text and inside a quoted attribute. */
void html_text(FILE *f, const char *s);

#endif
