/* iopaths demo [NAME...|all]: each demo's prediction, the experiment in a
 * private folder, what the kernel did, the verdict; a row per demo in
 * OUT/demos.csv.  Exit 0 when every demo could run (whatever the verdicts),
 * 1 when one could not, 2 for bad input, 130 when interrupted. */
#include "demo.h"
#include "demo_run.h"

#include "cli.h"
#include "csvio.h"
#include "datafile.h"
#include "meta.h"
#include "outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static const char usage_demo[] =
	"usage: iopaths demo [--out DIR] [--dir DIR] [--list] [NAME...|all]\n"
	"\n"
	"The seed's lessons as experiments: each demo prints the textbook's\n"
	"prediction, runs the experiment in child processes (a child that crashes\n"
	"is observed: its signal, si_code and faulting address), prints what the\n"
	"kernel did and a verdict, \"as taught\" or \"differs\" with what differed.\n"
	"\n"
	"  NAME...     the demos to run (--list names them) (default: all)\n"
	"  --out DIR   the results folder: demos.csv (demo, prediction, observed,\n"
	"              verdict, details, kernel) is added to there, made whole each\n"
	"              time; a new folder gets meta.csv too (default:\n"
	"              results/HOST-KERNEL-demos-YYYYmmdd-HHMMSS)\n"
	"  --dir DIR   where each demo's private folder is made and removed; a disk\n"
	"              filesystem, so dirty pages mean something (default: /var/tmp)\n"
	"  --list      the demos, one line each, and exit\n"
	"\n"
	"Exit status: 0 when every demo ran, whatever the verdicts; 1 when one\n"
	"could not run (named on stderr); 2 for bad input; 130 when interrupted.\n";

static const char *const columns[] = { "demo", "prediction", "observed", "verdict", "details", "kernel", NULL };
enum { NCOLUMNS = 6 };

static volatile sig_atomic_t stop_signal, timed_out;

static void on_stop(int sig)
{
	stop_signal = sig;
	demo_kill_children();
}

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	demo_kill_children();
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* A demo's private folder is DIR/iopaths-demo-PID-TAG-XXXXXX: the PID and
 * PID space of the process that made it, as `iopaths run` names its files,
 * so that one left by a killed run is known for its own. */
#define FOLDER_PREFIX "iopaths-demo-"

/* The PID in such a folder's name, when its TAG is this PID space's; 0 otherwise. */
static pid_t folder_owner(const char *name)
{
	const char *p = name + strlen(FOLDER_PREFIX);
	unsigned long long pid = 0;
	if (strncmp(name, FOLDER_PREFIX, strlen(FOLDER_PREFIX)) != 0)
		return 0;
	for (const char *digits = p; *p >= '0' && *p <= '9' && p - digits < 10; p++)
		pid = pid * 10 + (unsigned)(*p - '0');
	if (*p++ != '-' || pid == 0 || pid > INT_MAX || strncmp(p, pid_space_tag(), 8) != 0 || p[8] != '-' ||
	    strlen(p + 9) != 6)
		return 0;
	return (pid_t)pid;
}

/* The private folders in dir that demos killed before they could remove
 * them left (kill -9 runs no handler): ours by name, a folder (not a link),
 * this user's and writable by no one else, whose process is gone.  A live
 * demo's folder, and everything else, is left alone.  One line each. */
static void remove_orphans(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		struct stat st;
		char path[PATH_MAX + 256];
		pid_t pid = folder_owner(e->d_name);
		if (pid == 0 || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode) ||
		    st.st_uid != geteuid() || (st.st_mode & 022) || !owner_gone(pid))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0)
			fprintf(stderr, "iopaths: demo: removed %s, left by process %d, which is gone\n", path, (int)pid);
	}
	closedir(d);
}

/* This run's rows, made whole into demos.csv after the rows it already had. */
struct demo_row {
	char demo[64], prediction[512], observed[1024], verdict[1100], details[2200], kernel[65];
};

/* Reading an existing demos.csv: its header must be ours; with w set, every
 * row is copied into w. */
struct old_rows {
	struct csv_out *w;
	size_t seen;
	int bad;
};

static int old_row(char **fields, size_t count, void *arg)
{
	struct old_rows *o = arg;
	int ours = count == NCOLUMNS;
	for (int c = 0; ours && o->seen == 0 && c < NCOLUMNS; c++)
		ours = strcmp(fields[c], columns[c]) == 0;
	if (ours && o->w && o->seen > 0) {
		for (int c = 0; c < NCOLUMNS; c++)
			csv_out_str(o->w, fields[c]);
		csv_out_end_row(o->w);
	}
	o->seen++;
	return o->bad = !ours;
}

/* demos.csv made whole: the rows it had, then this run's; a reader sees the
 * old file or the new one. */
static int write_rows(const char *out, int had_file, const struct demo_row *rows, size_t n)
{
	struct csv_out w;
	char path[PATH_MAX + 16], why[PATH_MAX + 128];
	if (csv_out_create(&w, out, "demos.csv") != 0)
		return -1;
	csv_out_header(&w, columns);
	snprintf(path, sizeof(path), "%s/demos.csv", out);
	struct old_rows old = { .w = &w };
	if (had_file && (csv_read_file(path, old_row, &old, why, sizeof(why)) != 0 || old.bad)) {
		csv_out_abort(&w);
		errno = EINVAL; /* changed under us since it was checked */
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct demo_row *r = &rows[i];
		for (const char *const *cell = (const char *const[]){ r->demo, r->prediction, r->observed, r->verdict,
								       r->details, r->kernel, NULL };
		     *cell; cell++)
			csv_out_str(&w, *cell);
		csv_out_end_row(&w);
	}
	return csv_out_close(&w);
}


/* One demo, start to end, in its own folder under dir.  1 when it ran, 0 when
 * it could not (why in ctx->cannot). */
static int run_one(const struct demo *d, const char *dir, struct demo_ctx *ctx, void *shared)
{
	char folder[PATH_MAX];
	memset(ctx, 0, sizeof(*ctx));
	ctx->demo = d;
	ctx->page = (size_t)sysconf(_SC_PAGESIZE);
	ctx->shared = shared;
	memset(shared, 0, DEMO_SHARED_BYTES);
	snprintf(folder, sizeof(folder), "%s/" FOLDER_PREFIX "%d-%s-XXXXXX", dir, (int)getpid(), pid_space_tag());
	if (!mkdtemp(folder)) {
		demo_cannot(ctx, "mkdtemp in %s", dir);
		return 0;
	}
	ctx->dir = folder;
	timed_out = 0;
	alarm(60); /* a demo that hangs (a lost wakeup) is killed, not waited for */
	int rc = d->run(ctx);
	alarm(0);
	if (timed_out && rc == 0)
		rc = demo_cannot(ctx, "timed out after 60 s");
	demo_kill_children(); /* none should be left; none may outlive the folder */
	nftw(folder, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	ctx->dir = NULL;
	return rc == 0 && !ctx->cannot[0];
}

static void list_demos(void)
{
	for (size_t i = 0; i < demo_count; i++)
		printf("%-26s %s\n", demos[i]->name, demos[i]->summary);
}

int cmd_demo(int argc, char **argv)
{
	char out[PATH_MAX] = "", dir[PATH_MAX] = "/var/tmp";
	const struct demo *chosen[64];
	size_t nchosen = 0;

	int names_only = 0; /* after --, a name that starts with - is a name */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!names_only && strcmp(a, "--") == 0) {
			names_only = 1;
			continue;
		}
		if (names_only && a[0] == '-') {
			usage_error("demo: no demo named '%s' (iopaths demo --list)", a);
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage_demo, stdout);
			return 0;
		} else if (strcmp(a, "--list") == 0) {
			list_demos();
			return 0;
		} else if (strcmp(a, "--out") == 0 || strcmp(a, "--dir") == 0) {
			if (i + 1 >= argc || !argv[i + 1][0])
				usage_error("demo: %s needs a folder", a);
			char *to = a[2] == 'o' ? out : dir;
			if (strlen(argv[i + 1]) >= PATH_MAX - 64)
				usage_error("demo: %s: the path is too long", a);
			snprintf(to, PATH_MAX, "%s", argv[++i]);
		} else if (a[0] == '-') {
			usage_error("demo: unknown option '%s'", a);
		} else if (strcmp(a, "all") == 0) {
			for (size_t k = 0; k < demo_count && nchosen < 64; k++)
				chosen[nchosen++] = demos[k];
		} else {
			const struct demo *d = demo_find(a);
			if (!d)
				usage_error("demo: no demo named '%s' (iopaths demo --list)", a);
			if (nchosen < 64)
				chosen[nchosen++] = d;
		}
	}
	if (nchosen == 0)
		for (size_t k = 0; k < demo_count && nchosen < 64; k++)
			chosen[nchosen++] = demos[k];

	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		usage_error("demo: --dir %s is not a folder", dir);
	char why[PATH_MAX + 128];
	int made = 0, had_file = 0;
	if (!out[0])
		out_default_folder(out, sizeof(out), "demos");
	if (lstat(out, &st) == 0) {
		if (out_dir_check(out, why, sizeof(why)) != 0)
			usage_error("demo: --out: %s", why);
		char path[PATH_MAX + 16];
		snprintf(path, sizeof(path), "%s/demos.csv", out);
		if (lstat(path, &st) == 0) {
			struct old_rows check = { 0 };
			if (csv_read_file(path, old_row, &check, why, sizeof(why)) != 0 || check.bad)
				usage_error("demo: %s is not a demos.csv this version wrote", path);
			had_file = 1;
		}
	} else {
		if (strncmp(out, "results/", 8) == 0 && mkdir("results", 0755) != 0 && errno != EEXIST)
			usage_error("demo: cannot create results/: %s", strerror(errno));
		if (mkdir(out, 0755) != 0)
			usage_error("demo: --out %s cannot be created: %s", out, strerror(errno));
		if (out_dir_check(out, why, sizeof(why)) != 0) {
			rmdir(out);
			usage_error("demo: --out: %s", why);
		}
		made = 1;
	}
	remove_orphans(dir); /* before this run makes a folder there */
	void *shared = mmap(NULL, DEMO_SHARED_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("iopaths: demo: mmap");
		return 1;
	}
	struct sigaction sa = { .sa_handler = on_stop }, al = { .sa_handler = on_alarm };
	sigemptyset(&sa.sa_mask);
	sigemptyset(&al.sa_mask);
	for (const int *s = (const int[]){ SIGINT, SIGTERM, SIGHUP, SIGQUIT, 0 }; *s; s++)
		sigaction(*s, &sa, NULL);
	sigaction(SIGALRM, &al, NULL);

	struct utsname u;
	if (uname(&u) != 0)
		snprintf(u.release, sizeof(u.release), "unknown");
	static struct demo_ctx ctx;
	struct demo_row *rows = calloc(nchosen, sizeof(*rows));
	size_t nrows = 0;
	if (!rows) {
		perror("iopaths: demo: calloc");
		munmap(shared, DEMO_SHARED_BYTES);
		return 1;
	}
	char failed[1024] = "";
	int ran = 0;
	for (size_t i = 0; i < nchosen && !stop_signal; i++) {
		const struct demo *d = chosen[i];
		printf("[%zu/%zu] %s: %s\n  textbook: %s\n", i + 1, nchosen, d->name, d->summary, d->prediction);
		uint64_t t0 = demo_now_ns();
		int ok = run_one(d, dir, &ctx, shared);
		double ms = (double)(demo_now_ns() - t0) / 1e6;
		if (stop_signal)
			break; /* killed halfway: its row would say nothing true */
		char verdict[1100], details[2200];
		if (demo_verdict(&ctx, ok, verdict, sizeof(verdict))) {
			ran++;
		} else {
			size_t len = strlen(failed);
			snprintf(failed + len, sizeof(failed) - len, "%s%s", len ? ", " : "", d->name);
		}
		snprintf(details, sizeof(details), "%s%stime=%.1f ms", ctx.details, ctx.details[0] ? "; " : "", ms);
		printf("  kernel:   %s\n  details:  %s\n  verdict:  %s (%d checks)\n\n", ctx.observed[0] ? ctx.observed : "-",
		       details, verdict, ctx.checks);
		struct demo_row *r = &rows[nrows++];
		snprintf(r->demo, sizeof(r->demo), "%s", d->name);
		snprintf(r->prediction, sizeof(r->prediction), "%s", d->prediction);
		snprintf(r->observed, sizeof(r->observed), "%s", ctx.observed);
		snprintf(r->verdict, sizeof(r->verdict), "%s", verdict);
		snprintf(r->details, sizeof(r->details), "%s", details);
		snprintf(r->kernel, sizeof(r->kernel), "%s", u.release);
	}
	munmap(shared, DEMO_SHARED_BYTES);

	int rc = 0;
	if (nrows > 0 && write_rows(out, had_file, rows, nrows) != 0) {
		fprintf(stderr, "iopaths: demo: writing %s/demos.csv: %s\n", out, strerror(errno));
		rc = 1;
	}
	if (made && rc == 0 && nrows > 0) {
		struct meta m = { 0 };
		char path[PATH_MAX + 16];
		meta_collect_machine(&m, dir);
		meta_set(&m, "command", "iopaths demo");
		snprintf(path, sizeof(path), "%s/meta.csv", out);
		if (meta_write(&m, path) != 0) {
			fprintf(stderr, "iopaths: demo: writing %s: %s\n", path, strerror(errno));
			rc = 1;
		}
		meta_free(&m);
	} else if (made && nrows == 0) {
		rmdir(out); /* nothing ran: no empty folder left behind */
	}
	size_t written = nrows;
	free(rows);
	if (stop_signal) {
		fprintf(stderr, "iopaths: demo: interrupted (%s); the demos that finished are in %s/demos.csv\n",
			strsignal(stop_signal), out);
		return 130;
	}
	if (failed[0]) {
		fprintf(stderr, "iopaths: demo: could not run: %s\n", failed);
		rc = 1;
	}
	if (written)
		printf("iopaths: %d of %zu demos ran; results in %s/demos.csv\n", ran, nchosen, out);
	return rc;
}
