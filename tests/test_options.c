/* The options table (harness/plan/run_options.c) is the one definition of `iopaths
 * run`'s options: README's option table must say the same flags, arguments
 * and defaults, and --help must show every row. */
#include "helpers.h"

#include "run_options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Cell `n` (0-based) of a Markdown table row, backticks dropped, "\|" as "|". */
static void cell_text(const char *row, int n, char *out, size_t len)
{
	const char *p = row;
	for (int i = 0; i <= n; i++) {
		p = strchr(p, '|');
		while (p && p > row && p[-1] == '\\')
			p = strchr(p + 1, '|');
		assert_non_null(p);
		p++;
	}
	size_t k = 0;
	for (; *p && !(*p == '|' && p[-1] != '\\') && k + 1 < len; p++)
		if (*p != '`' && !(*p == '\\' && p[1] == '|'))
			out[k++] = *p;
	while (k > 0 && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
	size_t lead = strspn(out, " ");
	memmove(out, out + lead, k - lead + 1);
}

static const struct run_option *row_of(const char *flag)
{
	for (size_t i = 0; i < run_option_count; i++)
		if (strcmp(run_options[i].flag, flag) == 0)
			return &run_options[i];
	return NULL;
}

static void readme_option_table_matches_the_options_table(void **state)
{
	(void)state;
	char *readme = slurp("README.md");
	assert_non_null(readme);
	const char *table = strstr(readme, "`iopaths run` options:");
	if (!table)
		fail_msg("README.md has no \"`iopaths run` options:\" table");
	size_t seen = 0;
	for (const char *line = strstr(table, "\n| `--"); line; line = strstr(line + 1, "\n| `--")) {
		const char *end = strchr(line + 1, '\n');
		char row[2048], option[256], dflt[512];
		snprintf(row, sizeof(row), "%.*s", (int)(end ? end - line - 1 : (long)strlen(line + 1)), line + 1);
		cell_text(row, 0, option, sizeof(option));
		cell_text(row, 2, dflt, sizeof(dflt));
		char flag[64];
		size_t n = strcspn(option + 2, " [");
		snprintf(flag, sizeof(flag), "%.*s", (int)n, option + 2);
		const struct run_option *o = row_of(flag);
		if (!o)
			fail_msg("README documents --%s, which the options table does not have", flag);
		char want[256];
		snprintf(want, sizeof(want), "--%s%s%s", o->flag, o->arg && o->has_arg != 2 ? " " : "",
			 o->arg ? o->arg : "");
		if (strcmp(option, want) != 0)
			fail_msg("README says %s, the options table %s", option, want);
		if (!o->dflt || strcmp(dflt, o->dflt) != 0)
			fail_msg("--%s: README's default is '%s', the options table's '%s'", flag, dflt,
				 o->dflt ? o->dflt : "(none)");
		seen++;
		/* The table ends at the first line that is not a row. */
		if (!end || strncmp(end, "\n|", 2) != 0)
			break;
	}
	if (seen != run_option_count)
		fail_msg("README's table has %zu options, the options table %zu", seen, run_option_count);
	free(readme);
}

/* Every row is in --help, with its default. */
static void help_shows_every_option(void **state)
{
	(void)state;
	char out[PATH_MAX];
	snprintf(out, sizeof(out), "%s/help", work);
	assert_int_equal(run_iopaths(work, out, NULL, (const char *const[]){ "run", "--help", NULL }), 0);
	char *help = slurp(out);
	assert_non_null(help);
	/* Words, not layout: the help wraps. */
	char flat[65536];
	size_t k = 0;
	for (const char *p = help; *p && k + 1 < sizeof(flat); p++)
		if (!(*p == ' ' || *p == '\n') || (k > 0 && flat[k - 1] != ' '))
			flat[k++] = *p == '\n' ? ' ' : *p;
	flat[k] = '\0';
	for (size_t i = 0; i < run_option_count; i++) {
		char flag[80], dflt[600];
		snprintf(flag, sizeof(flag), "--%s", run_options[i].flag);
		snprintf(dflt, sizeof(dflt), "(default: %s)", run_options[i].dflt);
		if (!strstr(flat, flag) || (run_options[i].dflt && !strstr(flat, dflt)))
			fail_msg("--help does not show %s with %s", flag, dflt);
	}
	free(help);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(readme_option_table_matches_the_options_table),
		cmocka_unit_test_setup_teardown(help_shows_every_option, work_in_tmp, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
