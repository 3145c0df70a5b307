/* make bench-serve in its smallest form (one 64 KiB file, one connection,
 * one round of 1 s, nginx and one iopaths strategy): serve.csv holds every
 * cell, checked and error-free; no server and no private folder is left
 * after it, after a server that serves the wrong bytes (which fails the
 * bench with one clear line), and after a SIGTERM during the load.  Also
 * `iopaths tabulate`, which writes serve.csv. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const serve_header[] = { "server", "file_bytes", "connections", "round", "duration_s", "requests",
	"requests_per_s", "mibps", "lat_p50_us", "lat_p99_us", "lat_p999_us", "non2xx", "socket_errors",
	"server_cpu_us_per_request", "server_cpu_ms_per_mib", "server_minflt", "server_majflt",
	"server_ctx_switches", "verified", NULL };

/* nginx, and iopaths' sendfile server when this build has `iopaths serve`. */
static const char *servers(void)
{
	static const char *list;
	char cmd[PATH_MAX + 64];
	if (list)
		return list;
	snprintf(cmd, sizeof(cmd), "%s serve --help >/dev/null 2>&1", iopaths_bin());
	list = shell_status(cmd) == 0 ? "nginx-sendfile-off iopaths-sendfile" : "nginx-sendfile-off";
	if (!strchr(list, ' '))
		print_message("iopaths has no serve command in this build: nginx alone\n");
	return list;
}

/* Runs the bench in work with a private TMPDIR (work/tmp); extra: more
 * environment, before the command.  Its status; stderr in work/NAME.err. */
static int bench(const char *name, const char *extra)
{
	char cmd[4 * PATH_MAX];
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/tmp && TMPDIR=%s/tmp IOPATHS=%s OUT=%s/%s PLOTS_DIR=%s/plots SERVE_SIZES=65536 "
		 "SERVE_CONNS=1 SERVE_ROUNDS=1 SERVE_DURATION=1 SERVE_SERVERS='%s' %s scripts/bench-serve.sh "
		 ">%s/%s.out 2>%s/%s.err",
		 work, work, iopaths_bin(), work, name, work, servers(), extra, work, name, work, name);
	return shell_status(cmd);
}

/* Nothing of the bench is left: no process names its private folder (the
 * nginx config's path, iopaths' --root), and the folder is gone. */
static void expect_nothing_left(void)
{
	char cmd[PATH_MAX + 64], tmp[PATH_MAX];
	snprintf(cmd, sizeof(cmd), "pgrep -f '%s/tm[p]/iopaths-serve' >/dev/null", work); /* [p]: not this shell */
	assert_int_equal(shell_status(cmd), 1); /* 1: no process matched */
	snprintf(tmp, sizeof(tmp), "%s/tmp", work);
	assert_int_equal(dir_entries(tmp), 0);
}

static void smallest_bench_writes_every_cell(void **state)
{
	(void)state;
	char path[PATH_MAX];
	int rc = bench("run", "");
	if (rc != 0) {
		char *err = slurp_at(work, "run.err");
		fail_msg("bench-serve exited %d: %s", rc, err);
	}
	struct table t;
	snprintf(path, sizeof(path), "%s/run/serve.csv", work);
	assert_int_equal(table_read(&t, path), 0);
	for (const char *const *c = serve_header; *c; c++)
		if (table_col(&t, *c) < 0)
			fail_msg("serve.csv has no column %s", *c);
	int nservers = strchr(servers(), ' ') ? 2 : 1;
	assert_int_equal(t.rows, 1 + (size_t)nservers); /* one cell per server */
	for (size_t r = 1; r < t.rows; r++) {
		assert_non_null(strstr(servers(), table_get(&t, r, "server")));
		assert_string_equal(table_get(&t, r, "file_bytes"), "65536");
		assert_string_equal(table_get(&t, r, "connections"), "1");
		assert_string_equal(table_get(&t, r, "non2xx"), "0");
		assert_string_equal(table_get(&t, r, "socket_errors"), "0");
		assert_string_equal(table_get(&t, r, "verified"), "1");
		assert_true(atol(table_get(&t, r, "requests")) > 0);
		assert_true(atof(table_get(&t, r, "server_cpu_ms_per_mib")) >= 0);
	}
	table_free(&t);
	char *meta = slurp_at(work, "run/meta.csv");
	assert_non_null(strstr(meta, "\"nginx_version\",\"nginx version: nginx/"));
	assert_non_null(strstr(meta, "\"wrk_version\""));
	assert_non_null(strstr(meta, "\"kernel_release\""));
	free(meta);
	char *html = slurp_at(work, "run/index.html");
	assert_non_null(strstr(html, "id=\"serve\""));
	assert_non_null(strstr(html, "<td>nginx-sendfile-off</td>"));
	assert_null(strstr(html, "not drawn"));
	assert_null(strstr(html, "figure missing"));
	free(html);
	assert_true(file_in(work, "plots/run/serve/requests.svg"));
	assert_true(file_in(work, "plots/run/serve/cpu.svg"));
	assert_true(file_in(work, "plots/run/serve/lecture/serve.png"));
	char slides[1100];
	snprintf(slides, sizeof(slides), "%s/plots/run/serve/lecture", work);
	expect_slide(slides, "serve"); /* projector-sized, text 18 pt or more */
	expect_nothing_left();
}

/* A server whose files differ from the originals (a byte changed in each)
 * fails the bench before the load, with the server and the file named. */
static void wrong_bytes_fail_the_bench(void **state)
{
	(void)state;
	assert_int_equal(bench("broken", "SERVE_BROKEN=nginx-sendfile-off"), 1);
	char *err = slurp_at(work, "broken.err");
	assert_non_null(strstr(err, "iopaths: bench-serve: nginx-sendfile-off served /64K wrong: 65536 bytes but not the file's"));
	free(err);
	assert_false(file_in(work, "broken/serve.csv"));
	expect_nothing_left();
}

/* SIGTERM in the middle of the load: every server stopped, folder removed. */
static void terminated_during_the_load_leaves_nothing(void **state)
{
	(void)state;
	char cmd[5 * PATH_MAX];
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/tmp && (TMPDIR=%s/tmp IOPATHS=%s OUT=%s/term PLOTS_DIR=%s/plots SERVE_SIZES=65536 "
		 "SERVE_CONNS=1 SERVE_ROUNDS=1 SERVE_DURATION=20 SERVE_SERVERS='%s' scripts/bench-serve.sh "
		 ">%s/term.out 2>&1 & p=$!; i=0; until grep -q 'load:' %s/term.out; do sleep 0.1; i=$((i+1)); "
		 "[ $i -lt 300 ] || exit 9; done; sleep 1; kill -TERM $p; wait $p; exit $?)",
		 work, work, iopaths_bin(), work, work, servers(), work, work);
	assert_int_equal(shell_status(cmd), 143);
	assert_false(file_in(work, "term/serve.csv"));
	expect_nothing_left();
}

/* iopaths tabulate: values are data (commas, quotes, '=' kept), a missing
 * one is NA, and bad input (a key not a column) writes nothing. */
static void tabulate_writes_rows_through_libcsv(void **state)
{
	(void)state;
	char cmd[2 * PATH_MAX], path[PATH_MAX];
	snprintf(cmd, sizeof(cmd), "printf 'a=1\\nb=x,\"y\"=z\\n\\n\\na=2\\n' | %s tabulate %s/t.csv a,b", iopaths_bin(), work);
	assert_int_equal(shell_status(cmd), 0);
	struct table t;
	snprintf(path, sizeof(path), "%s/t.csv", work);
	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(t.rows, 3);
	assert_string_equal(table_get(&t, 1, "b"), "x,\"y\"=z");
	assert_string_equal(table_get(&t, 2, "a"), "2");
	assert_string_equal(table_get(&t, 2, "b"), "");
	table_free(&t);
	snprintf(cmd, sizeof(cmd), "printf 'a=1\\nc=2\\n' | %s tabulate %s/u.csv a,b 2>/dev/null", iopaths_bin(), work);
	assert_int_equal(shell_status(cmd), 2);
	assert_false(file_in(work, "u.csv"));
	snprintf(cmd, sizeof(cmd), "printf 'a=1\\na=2\\n' | %s tabulate %s/u.csv a,b 2>/dev/null", iopaths_bin(), work);
	assert_int_equal(shell_status(cmd), 2);
	snprintf(cmd, sizeof(cmd), ": | %s tabulate %s/u.csv a,b 2>/dev/null", iopaths_bin(), work);
	assert_int_equal(shell_status(cmd), 2);
	assert_false(file_in(work, "u.csv"));
	snprintf(cmd, sizeof(cmd), "printf 'tool=v 1\\n' | %s tabulate --meta %s %s/m.csv", iopaths_bin(), work, work);
	assert_int_equal(shell_status(cmd), 0);
	char *meta = slurp_at(work, "m.csv");
	assert_non_null(strstr(meta, "\"tool\",\"v 1\""));
	assert_non_null(strstr(meta, "\"kernel_release\""));
	free(meta);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(tabulate_writes_rows_through_libcsv, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(smallest_bench_writes_every_cell, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(wrong_bytes_fail_the_bench, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(terminated_during_the_load_leaves_nothing, work_in_tmp, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
