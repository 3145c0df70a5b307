/* Text from a results folder (a label, a host name, a file name) shown on a
 * terminal: its control bytes (below 0x20, and 0x7f) are written as \xHH, so
 * a stranger's CSV cannot send the terminal escape sequences (retitle the
 * window, clear the screen, move the cursor over what was printed). */
#ifndef IOPATHS_TERM_H
#define IOPATHS_TERM_H

#include <stddef.h>

/* The one rule: c as shown, in out (at most 4 bytes, no NUL); its length. */
size_t term_byte(unsigned char c, int keep_newlines, char out[4]);

/* s with every control byte (newline and tab too) as \xHH, in out, cut to
 * fit and always NUL-terminated: a value printed inside one line. */
void term_clean(char *out, size_t len, const char *s);

/* Puts the streams named (TERM_STDOUT, TERM_STDERR) behind a filter that
 * applies term_byte to every byte written to them, newline and tab kept: every
 * message and table of a command that reads a results folder, whatever it
 * echoes.  Called once, first thing, by such a command.  0, or -1 (the
 * streams are then left as they were). */
#define TERM_STDOUT 1
#define TERM_STDERR 2
int term_guard(int streams);

#endif
