#include "helpers.h"

#include "csvio.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

void tmpdir_make(char *out, size_t len)
{
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(out, len, "%s/iopaths-test-XXXXXX", base);
	assert_non_null(mkdtemp(out));
}

void tmpdir_remove(const char *dir)
{
	char cmd[PATH_MAX + 32];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

char work[1024];

int work_in_tmp(void **state)
{
	(void)state;
	tmpdir_make(work, sizeof(work));
	return 0;
}

int work_on_disk(void **state)
{
	(void)state;
	const char *base = getenv("IOPATHS_TEST_DATA") ? getenv("IOPATHS_TEST_DATA") : "/var/tmp";
	snprintf(work, sizeof(work), "%s/iopaths-test-XXXXXX", base);
	assert_non_null(mkdtemp(work));
	return 0;
}

int work_remove(void **state)
{
	(void)state;
	tmpdir_remove(work);
	return 0;
}

void run_in_work(const char *name, const char *const *args, char *out, size_t len)
{
	char dir[PATH_MAX], err_file[PATH_MAX];
	const char *argv[64];
	size_t a = 0;
	snprintf(out, len, "%s/%s", work, name);
	snprintf(dir, sizeof(dir), "%s/%s.data", work, name);
	snprintf(err_file, sizeof(err_file), "%s/%s.err", work, name);
	for (; a < 58 && args[a]; a++)
		argv[a] = args[a];
	argv[a++] = "--dir";
	argv[a++] = dir;
	argv[a++] = "--out";
	argv[a++] = out;
	argv[a] = NULL;
	int rc = run_iopaths(work, NULL, err_file, argv);
	if (rc != 0) {
		char *text = slurp(err_file);
		fail_msg("iopaths %s (%s) exited %d: %s", args[0], name, rc, text ? text : "");
	}
}

struct measure_ctx job_ctx;

int work_and_ctx_open(void **state)
{
	work_on_disk(state);
	measure_ctx_open(&job_ctx, CONSUME_CHECKSUM);
	return 0;
}

int work_and_ctx_close(void **state)
{
	measure_ctx_close(&job_ctx);
	return work_remove(state);
}

int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

const char *iopaths_bin(void)
{
	static char abs[PATH_MAX];
	const char *bin = getenv("IOPATHS_BIN") ? getenv("IOPATHS_BIN") : "build/iopaths";
	if (!realpath(bin, abs))
		fail_msg("cannot find %s (set IOPATHS_BIN)", bin);
	return abs;
}

void iopaths_argv(const char **argv, size_t cap, const char *const *args)
{
	size_t n = 1;
	argv[0] = iopaths_bin();
	for (; args[n - 1] && n < cap - 1; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
}

pid_t spawn_first_line(const char *const *argv, char *line, size_t len)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	size_t got = 0;
	line[0] = '\0';
	while (got < len - 1 && !memchr(line, '\n', got)) {
		struct pollfd pf = { .fd = p[0], .events = POLLIN };
		if (poll(&pf, 1, 20000) <= 0)
			break;
		ssize_t r = read(p[0], line + got, len - 1 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	line[got] = '\0';
	close(p[0]);
	return pid;
}

void kill_and_reap(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGKILL);
		waitpid(*pid, NULL, 0);
		*pid = -1;
	}
}

int run_iopaths(const char *cwd, const char *out_file, const char *err_file, const char *const *args)
{
	const char *bin = iopaths_bin();
	const char *argv[64];
	iopaths_argv(argv, 64, args);

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (cwd && chdir(cwd) != 0)
			_exit(127);
		int fd = open(out_file ? out_file : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(err_file ? err_file : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || fe < 0 || dup2(fd, 1) < 0 || dup2(fe, 2) < 0)
			_exit(127);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int add_row(char **fields, size_t count, void *arg)
{
	struct table *t = arg;
	char **row = calloc(count, sizeof(*row));
	assert_non_null(row);
	for (size_t i = 0; i < count; i++)
		row[i] = strdup(fields[i]);
	if (t->rows == 0)
		t->cols = count;
	assert_int_equal(count, t->cols); /* every row as wide as the header */
	t->cell = realloc(t->cell, (t->rows + 1) * sizeof(*t->cell));
	assert_non_null(t->cell);
	t->cell[t->rows++] = row;
	return 0;
}

int table_read(struct table *t, const char *path)
{
	char err[512];
	memset(t, 0, sizeof(*t));
	if (csv_read_file(path, add_row, t, err, sizeof(err)) != 0) {
		print_error("%s\n", err);
		return -1;
	}
	return 0;
}

int table_col(const struct table *t, const char *name)
{
	for (size_t c = 0; t->rows && c < t->cols; c++)
		if (strcmp(t->cell[0][c], name) == 0)
			return (int)c;
	return -1;
}

const char *table_get(const struct table *t, size_t row, const char *name)
{
	int c = table_col(t, name);
	if (c < 0)
		fail_msg("no column %s", name);
	return t->cell[row][c];
}

void table_free(struct table *t)
{
	for (size_t r = 0; r < t->rows; r++) {
		for (size_t c = 0; c < t->cols; c++)
			free(t->cell[r][c]);
		free(t->cell[r]);
	}
	free(t->cell);
	memset(t, 0, sizeof(*t));
}

char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *s = malloc(cap);
	for (size_t got; s && (got = fread(s + n, 1, cap - n - 1, f)) > 0;) {
		n += got;
		if (cap - n - 1 == 0) {
			char *grown = realloc(s, cap *= 2);
			if (!grown)
				free(s);
			s = grown;
		}
	}
	fclose(f);
	if (s)
		s[n] = '\0';
	return s;
}

static int is_figure_file(const struct dirent *e)
{
	size_t digits = strspn(e->d_name, "0123456789"), len = strlen(e->d_name);
	return digits > 0 && e->d_name[digits] == '-' && len > digits + 4 && strcmp(e->d_name + len - 3, ".gp") == 0;
}

char **figures_in(const char *folder)
{
	struct dirent **files;
	int n = scandir(folder, &files, is_figure_file, alphasort);
	if (n <= 0)
		fail_msg("%s holds no figure file (NN-NAME.gp)", folder);
	char **names = calloc((size_t)n + 1, sizeof(*names));
	assert_non_null(names);
	for (int i = 0; i < n; i++) {
		const char *name = strchr(files[i]->d_name, '-') + 1;
		names[i] = strndup(name, strlen(name) - 3);
		assert_non_null(names[i]);
		free(files[i]);
	}
	free(files);
	return names;
}

void figures_free(char **names)
{
	for (char **n = names; *n; n++)
		free(*n);
	free(names);
}

char *slurp_at(const char *dir, const char *name)
{
	char path[2 * PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *s = slurp(path);
	if (!s)
		fail_msg("%s was not written", path);
	return s;
}

int file_in(const char *dir, const char *name)
{
	char path[2 * PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

int shell_status(const char *cmd)
{
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

void expect_quiet(const char *dir, int rc, const char *what)
{
	char *err = slurp_at(dir, "err");
	if (rc != 0 || err[0])
		fail_msg("%s: status %d, said: %s", what, rc, err);
	free(err);
}

static unsigned be32(const unsigned char *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

void expect_slide(const char *out, const char *fig)
{
	char name[256], path[2 * PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s.png", out, fig);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("%s was not drawn", path);
	unsigned char head[24];
	size_t got = fread(head, 1, sizeof(head), f);
	fclose(f);
	assert_int_equal(got, sizeof(head));
	assert_memory_equal(head, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(head + 12, "IHDR", 4);
	if (be32(head + 16) != 1920 || be32(head + 20) != 1080)
		fail_msg("%s is %ux%u, not 1920x1080", path, be32(head + 16), be32(head + 20));

	snprintf(name, sizeof(name), "%s.svg", fig);
	char *svg = slurp_at(out, name);
	assert_int_equal(strncmp(svg, "<?xml", 5), 0);
	assert_non_null(strstr(svg, "<svg"));
	assert_non_null(strstr(svg, "width=\"960\" height=\"540\""));
	int texts = 0;
	for (char *p = svg; (p = strstr(p, "font-size=\"")); p++, texts++)
		if (strtod(p + strlen("font-size=\""), NULL) < 24)
			fail_msg("%s has text at %.2f px, under 18 pt on a 10 in slide", name, strtod(p + 11, NULL));
	assert_true(texts > 0);
	free(svg);

	snprintf(path, sizeof(path), "%s/%s.pdf", out, fig);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("%s was not drawn", path);
	static char pdf[1 << 20];
	size_t n = fread(pdf, 1, sizeof(pdf), f);
	fclose(f);
	const char *box = "/MediaBox [ 0 0 720 405 ]";
	if (n < 5 || memcmp(pdf, "%PDF-", 5) != 0 || !memmem(pdf, n, box, strlen(box)))
		fail_msg("%s is not a PDF of 720 x 405 pt", path);
}

void demo_row(const char *name, struct table *t)
{
	char out[PATH_MAX], data[PATH_MAX], csv[PATH_MAX + 16];
	snprintf(data, sizeof(data), "%s/%s.data", work, name);
	assert_int_equal(mkdir(data, 0755), 0);
	run_in_work(name, (const char *const[]){ "demo", name, NULL }, out, sizeof(out));
	assert_int_equal(dir_entries(data), 0); /* the demo's private folder is removed */
	snprintf(csv, sizeof(csv), "%s/demos.csv", out);
	assert_int_equal(table_read(t, csv), 0);
	assert_int_equal(t->rows, 2);
	assert_string_equal(table_get(t, 1, "demo"), name);
	assert_true(strlen(table_get(t, 1, "observed")) > 0);
}

const char *row_detail_text(const struct table *t, const char *key, char *buf, size_t len)
{
	const char *details = table_get(t, 1, "details");
	size_t n = strlen(key);
	for (const char *at = details; (at = strstr(at, key)); at += n)
		if ((at == details || (at >= details + 2 && at[-2] == ';' && at[-1] == ' ')) && at[n] == '=') {
			const char *v = at + n + 1, *end = strstr(v, "; ");
			size_t vlen = end ? (size_t)(end - v) : strlen(v);
			snprintf(buf, len, "%.*s", (int)(vlen < len ? vlen : len - 1), v);
			return buf;
		}
	return NULL;
}

long long row_detail(const struct table *t, const char *key)
{
	char buf[256];
	if (!row_detail_text(t, key, buf, sizeof(buf)))
		fail_msg("no %s in details: %s", key, table_get(t, 1, "details"));
	return strtoll(buf, NULL, 0);
}

void expect_as_taught(const struct table *t)
{
	if (strcmp(table_get(t, 1, "verdict"), "as taught") != 0)
		fail_msg("%s: %s (observed: %s; details: %s)", table_get(t, 1, "demo"), table_get(t, 1, "verdict"),
			 table_get(t, 1, "observed"), table_get(t, 1, "details"));
}
