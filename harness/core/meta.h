/* meta.csv: the facts a result is meaningless without (machine, kernel,
 * filesystem, build, command line), as key,value rows. */
#ifndef IOPATHS_META_H
#define IOPATHS_META_H

#include <stddef.h>

struct meta {
	size_t count, cap;
	char **keys, **values;
};

void meta_set(struct meta *m, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *meta_get(const struct meta *m, const char *key);

/* Adds what can be read off this machine, and the filesystem holding dir. */
void meta_collect_machine(struct meta *m, const char *dir);

/* The mount holding dir: the longest mount point that is a prefix of its
 * real path (/proc/self/mountinfo).  0, or -1 with "NA" in every field. */
struct mount {
	char type[64], options[1024], point[4096], source[512];
};
int mount_of(const char *dir, struct mount *out);

/* Writes path atomically (a temporary, then rename), so a reader never sees half. */
int meta_write(const struct meta *m, const char *path);
void meta_free(struct meta *m);

/* Reads a whole one-line file, trailing newline dropped; "NA" when unreadable. */
void read_line_file(const char *path, char *out, size_t outlen);
/* The same for a file that lists choices, the one in force in brackets:
 * "always [madvise] never" -> "madvise".  A file without brackets as it is. */
void read_choice_file(const char *path, char *out, size_t outlen);

#endif
