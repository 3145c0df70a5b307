#ifndef IOPATHS_QUERY_H
#define IOPATHS_QUERY_H
/* `iopaths query`: read one column of a results CSV, through libcsv. */
int cmd_query(int argc, char **argv);
#endif
