/* Reading the command line: every option's text goes through these, so bad
 * input anywhere costs one line on stderr ("iopaths: ..."), status 2, and no
 * files (nothing is created before the command line has been read). */
#ifndef IOPATHS_CLI_H
#define IOPATHS_CLI_H

#include <stddef.h>
#include <stdint.h>

#define EXIT_USAGE 2

/* One line, status 2.  Callers clean up what they made before calling. */
void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The items of "a,b,c", split in *copy (the caller frees it).  An empty list,
 * an empty item (",a", "a,,b", "a,") and an item named twice are usage errors. */
size_t split_list(const char *opt, const char *text, char **copy, char **items, size_t max);

/* Which of the n names text is; anything else is a usage error saying `what` it must be. */
int name_index(const char *opt, const char *what, const char *text, const char *const *names, int n);

/* "a,b" of the n names: a bit per name given (bit k for names[k]). */
unsigned name_mask(const char *opt, const char *what, const char *text, const char *const *names, int n);

/* Decimal digits only (hex after 0x when hex_ok), from min to max.  strtoul
 * alone takes " 5", "+5" and " -5", the last as 2^64 - 5. */
uint64_t parse_number(const char *opt, const char *text, uint64_t min, uint64_t max, int hex_ok);

#endif
