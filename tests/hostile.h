/* What test_hostile_make.c and test_stranger_figures.c share (issue 18):
 * the test's folder, a fake iopaths, running a command without a shell
 * between, and the check that no hostile value ran as code. */
#ifndef IOPATHS_TEST_HOSTILE_H
#define IOPATHS_TEST_HOSTILE_H
#include "helpers.h"

#include "csvio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[1024];          /* this test's folder: markers, fakes, copies */
static char fake[PATH_MAX];     /* dir/fake-iopaths: the real one but for run, demo, serve */
static char real_bin[PATH_MAX]; /* the iopaths under test, absolute */

static inline int setup(void **state)
{
	(void)state;
	tmpdir_make(dir, sizeof(dir));
	/* a marker an earlier failing run left in the repository is not this run's */
	DIR *here = opendir(".");
	assert_non_null(here);
	for (struct dirent *e; (e = readdir(here));)
		if (strncmp(e->d_name, "pwned", 5) == 0)
			unlink(e->d_name);
	closedir(here);
	assert_non_null(realpath(iopaths_bin(), real_bin));
	snprintf(fake, sizeof(fake), "%s/fake-iopaths", dir);
	FILE *f = fopen(fake, "w");
	assert_non_null(f);
	/* FAKE_RUN=fail|int: `run` makes its --out folder and a file in it,
	 * then fails, or interrupts its caller (Ctrl-C) */
	fprintf(f, "#!/bin/sh\n"
		   "case $1 in run|demo|serve) ;; *) exec '%s' \"$@\" ;; esac\n"
		   "out=\n"
		   "prev=\n"
		   "for a; do [ \"$prev\" != --out ] || out=$a; prev=$a; done\n"
		   "if [ $1 = run ] && [ -n \"${FAKE_RUN:-}\" ] && [ -n \"$out\" ]; then\n"
		   "  mkdir -p -- \"$out\" && : >\"$out/runs.csv\"\n"
		   "  [ \"$FAKE_RUN\" = int ] && { kill -INT $PPID; sleep 1; exit 130; }\n"
		   "  exit 1\n"
		   "fi\n"
		   "echo \"iopaths: $1: not in this test\" >&2\n"
		   "exit 2\n",
		real_bin);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(fake, 0755), 0);
	return 0;
}

static inline int teardown(void **state)
{
	(void)state;
	tmpdir_remove(dir);
	return 0;
}

/* argv run in the repository (execvp, no shell between), with env
 * (NAME=VALUE, NULL-terminated) added; stdout and stderr into dir/NAME.out
 * and dir/NAME.err.  Its exit status, 128 + N for a signal. */
static inline int run_argv(const char *name, const char *const *argv, const char *const *env)
{
	char out[PATH_MAX + 64], err[PATH_MAX + 64];
	snprintf(out, sizeof(out), "%s/%s.out", dir, name);
	snprintf(err, sizeof(err), "%s/%s.err", dir, name);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* not the make that runs the tests: its jobserver and variables */
		unsetenv("MAKEFLAGS");
		unsetenv("MFLAGS");
		unsetenv("MAKELEVEL");
		for (const char *const *e = env; e && *e; e++)
			putenv(strdup(*e));
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644), e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int in = open("/dev/null", O_RDONLY);
		if (o < 0 || e < 0 || in < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(126);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		assert_int_equal(errno, EINTR);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* No file named pwned* in dir, nor in the repository (a name's relative
 * touch would land there). */
static inline void expect_nothing_planted(const char *what)
{
	char found[PATH_MAX + 300] = "";
	for (const char *d = dir; d; d = d == dir ? "." : NULL) {
		DIR *dp = opendir(d);
		assert_non_null(dp);
		for (struct dirent *e; (e = readdir(dp));)
			if (strncmp(e->d_name, "pwned", 5) == 0) {
				char path[PATH_MAX + 300];
				snprintf(path, sizeof(path), "%s/%s", d, e->d_name);
				unlink(path); /* not for the next case to find */
				if (!found[0])
					snprintf(found, sizeof(found), "%s", path);
			}
		closedir(dp);
	}
	if (found[0])
		fail_msg("%s: a value ran as code: %s", what, found);
}

#endif
