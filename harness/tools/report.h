#ifndef IOPATHS_REPORT_H
#define IOPATHS_REPORT_H
/* `iopaths report RUN PLOTS`: RUN/index.html, one page per run. */
int cmd_report(int argc, char **argv);
#endif
