/* iopaths run: the command line to a results folder. */
#ifndef IOPATHS_RUN_H
#define IOPATHS_RUN_H

/* The exit status: 0 done, 1 a transfer failed, 2 bad input, 130 interrupted. */
int cmd_run(int argc, char **argv, const char *command_line);

#endif
