#ifndef IOPATHS_COMPARE_H
#define IOPATHS_COMPARE_H
/* `iopaths compare`: runs against a base run, cell by cell. */
int cmd_compare(int argc, char **argv);
#endif
