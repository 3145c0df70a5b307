/* The page `iopaths report` writes (issue 10): the series first in its table,
 * the lecture's figures first in their order with their captions as text, a
 * figure not drawn says why, nothing asked of the network, and the page's own
 * words state no result (the captions, written from the run, do that). */
#include "helpers.h"

#include "csvio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char run[PATH_MAX], plots[PATH_MAX], lecture[PATH_MAX];

/* work/run (the checked-in run), an empty work/plots; work/plots/lecture is
 * not made here. */
static int page_setup(void **state)
{
	char cmd[2 * PATH_MAX + 64];
	if (work_in_tmp(state) != 0)
		return -1;
	snprintf(run, sizeof(run), "%s/run", work);
	snprintf(plots, sizeof(plots), "%s/plots", work);
	snprintf(lecture, sizeof(lecture), "%s/plots/lecture", work);
	snprintf(cmd, sizeof(cmd), "cp -r tests/fixtures/run '%s' && mkdir '%s'", run, plots);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_text(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* dir/figures.csv with rows of five values (figure, title, caption, drawn,
 * why_not_drawn), NULL after the last. */
static void write_figures_csv(const char *dir, const char *const *values)
{
	char path[PATH_MAX + 64];
	struct csv_out w;
	snprintf(path, sizeof(path), "%s/figures.csv", dir);
	assert_int_equal(csv_out_open(&w, path), 0);
	csv_out_header(&w, (const char *const[]){ "figure", "title", "caption", "drawn", "why_not_drawn", NULL });
	for (; *values; values += 5) {
		for (int c = 0; c < 5; c++)
			csv_out_str(&w, values[c]);
		assert_int_equal(csv_out_end_row(&w), 0);
	}
	assert_int_equal(csv_out_close(&w), 0);
}

/* iopaths report work/run work/plots, status 0; the page, to be freed. */
static char *report_page(void)
{
	assert_int_equal(run_iopaths(work, NULL, NULL, (const char *const[]){ "report", run, plots, NULL }), 0);
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/index.html", run);
	char *html = slurp(path);
	assert_non_null(html);
	return html;
}

/* The base64 of dir/name, as the page embeds it (coreutils' base64). */
static char *base64_of(const char *dir, const char *name)
{
	char cmd[PATH_MAX + 128];
	snprintf(cmd, sizeof(cmd), "base64 -w0 '%s/%s'", dir, name);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char *out = calloc(1, 4096);
	assert_non_null(out);
	assert_true(fread(out, 1, 4095, p) > 0);
	assert_int_equal(pclose(p), 0);
	return out;
}

/* Where needle is in html, after `after`; the test fails when it is not. */
static const char *find_after(const char *html, const char *after, const char *needle)
{
	const char *at = strstr(after, needle);
	if (!at)
		fail_msg("not on the page after offset %ld: %s", (long)(after - html), needle);
	return at;
}

static int count_of(const char *html, const char *needle)
{
	int n = 0;
	for (const char *p = html; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static const char lecture_svg_1[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>lecture 1</text></svg>\n";
static const char lecture_svg_3[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>lecture 3</text></svg>\n";
static const char run_svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>the run's</text></svg>\n";

/* Two run figures and three lecture figures, one of each not drawn; the
 * first lecture figure has the name of a run figure, with its own SVG. */
static void plant_figures(void)
{
	write_figures_csv(plots, (const char *const[]){ "throughput", "Run throughput", "run caption", "1", "",
							"faults", "Run faults", "run faults caption", "0", "no fault rows",
							NULL });
	write_text(plots, "throughput.svg", run_svg);
	assert_int_equal(mkdir(lecture, 0755), 0);
	write_figures_csv(lecture,
			  (const char *const[]){ "throughput", "Is read faster than mmap?",
						 "<script>alert(1)</script> read 5 MiB/s & mmap 2", "1", "",
						 "faults-per-mib", "Faults per MiB", "caption two", "0",
						 "<b>no cold rows</b>", "zero-copy", "Zero copy",
						 "first paragraph\nsecond paragraph", "1", "", NULL });
	write_text(lecture, "throughput.svg", lecture_svg_1);
	write_text(lecture, "zero-copy.svg", lecture_svg_3);
}

/* The strategy (label) was the last of 18 columns, scrolled off the screen. */
static void the_series_is_the_first_column(void **state)
{
	(void)state;
	char *html = report_page();
	struct table t;
	char path[PATH_MAX + 16], cell[512];
	snprintf(path, sizeof(path), "%s/summary.csv", run);
	assert_int_equal(table_read(&t, path), 0);
	const char *at = find_after(html, html, "<thead><tr><th>label</th><th>sink</th><th>cache</th>");
	for (size_t r = 1; r < t.rows; r++) {
		snprintf(cell, sizeof(cell), "<tr><td>%s</td><td>%s</td><td>%s</td>", table_get(&t, r, "label"),
			 table_get(&t, r, "sink"), table_get(&t, r, "cache"));
		at = find_after(html, at, cell);
	}
	table_free(&t);
	free(html);

	/* A run from before labels: its strategy comes first. */
	write_text(run, "summary.csv", "sink,cache,file_bytes,n,mibps_median,strategy\nunix,hot,4096,2,9.5,sendfile\n");
	html = report_page();
	find_after(html, html, "<thead><tr><th>strategy</th><th>sink</th><th>cache</th>");
	find_after(html, html, "<tr><td>sendfile</td><td>unix</td><td>hot</td>");
	free(html);
}

static void lecture_figures_come_first_in_their_order_captions_as_text(void **state)
{
	(void)state;
	plant_figures();
	char *html = report_page();
	char *svg1 = base64_of(lecture, "throughput.svg"), *svg3 = base64_of(lecture, "zero-copy.svg"),
	     *svg_run = base64_of(plots, "throughput.svg");
	const char *l1 = find_after(html, html, "<h2>Is read faster than mmap?</h2>\n<p class=\"look\">"
						"&lt;script&gt;alert(1)&lt;/script&gt; read 5 MiB/s &amp; mmap 2</p>");
	const char *img1 = find_after(html, l1, svg1);
	const char *l2 = find_after(html, img1, "<h2>Faults per MiB</h2>\n<p class=\"look\">caption two</p>");
	const char *why2 = find_after(html, l2, "<p><em>not drawn: &lt;b&gt;no cold rows&lt;/b&gt;</em></p>");
	const char *l3 = find_after(html, why2, "<h2>Zero copy</h2>\n<p class=\"look\">first paragraph\nsecond paragraph</p>");
	const char *img3 = find_after(html, l3, svg3);
	const char *r1 = find_after(html, img3, "<h2>Run throughput</h2>");
	const char *img_run = find_after(html, r1, svg_run);
	const char *r2 = find_after(html, img_run, "<h2>Run faults</h2>");
	find_after(html, r2, "<p><em>not drawn: no fault rows</em></p>");
	/* Each image where its title is, and no other. */
	assert_true(strstr(html, svg1) < l2 && strstr(html, svg3) < r1);
	assert_int_equal(count_of(html, "data:image/svg+xml;base64,"), 3);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<b>"));
	free(svg1);
	free(svg3);
	free(svg_run);
	free(html);
}

/* Opened from disk on a lecture-room machine with no network: nothing on the
 * page may ask for anything, and every image is in the page itself. */
static void the_page_with_lecture_figures_asks_nothing_of_the_network(void **state)
{
	(void)state;
	plant_figures();
	char *html = report_page();
	find_after(html, html, "<h2>Is read faster than mmap?</h2>");
	for (const char *const *bad = (const char *const[]){ "http://", "https://", "ftp://", "<script", "<link", "<iframe",
							    "<object", "<embed", "@import", "url(", "href=", "srcset", NULL };
	     *bad; bad++)
		if (strstr(html, *bad))
			fail_msg("the page holds %s", *bad);
	int sources = 0;
	for (const char *p = html; (p = strstr(p, "src=\"")); p++, sources++)
		if (strncmp(p + 5, "data:image/svg+xml;base64,", 26) != 0)
			fail_msg("an image that is not in the page: %.60s", p);
	assert_int_equal(sources, 3);
	free(html);
}

/* Most runs have no lecture figures: the page says nothing of them.  A
 * lecture folder without its list, or a link, is said so, and the run's
 * figures still follow. */
static void a_page_without_lecture_figures_is_still_whole(void **state)
{
	(void)state;
	write_figures_csv(plots, (const char *const[]){ "throughput", "Run throughput", "run caption", "1", "", NULL });
	write_text(plots, "throughput.svg", run_svg);
	char *html = report_page();
	assert_null(strstr(html, "lecture"));
	find_after(html, find_after(html, html, "<h2>Run throughput</h2>"), "</body></html>\n");
	free(html);

	assert_int_equal(mkdir(lecture, 0755), 0);
	html = report_page();
	const char *at = find_after(html, html, "The lecture's figures</h2>\n<p><em>no figures: ");
	at = find_after(html, at, "lecture/figures.csv: No such file or directory (make lecture draws them)</em></p>");
	at = find_after(html, at, "<h2>Run throughput</h2>");
	find_after(html, at, "<thead><tr><th>label</th>");
	free(html);

	/* A linked lecture folder is not read through. */
	char cmd[3 * PATH_MAX];
	snprintf(cmd, sizeof(cmd), "rmdir '%s' && mkdir '%s/elsewhere' && ln -s ../elsewhere '%s'", lecture, work, lecture);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/elsewhere", work);
	write_figures_csv(cmd, (const char *const[]){ "throughput", "Not ours", "c", "1", "", NULL });
	write_text(cmd, "throughput.svg", lecture_svg_1);
	html = report_page();
	find_after(html, html, "lecture is a symbolic link; not reading through it</em></p>");
	assert_null(strstr(html, "Not ours"));
	assert_int_equal(count_of(html, "data:image/svg+xml;base64,"), 1);
	free(html);
}

/* The page's own words are the same on every machine, so they may say where
 * the numbers are but never what they show: no path named, no comparison,
 * and no promise the run may not keep (`--consume none` verifies no byte). */
static void the_pages_own_words_state_no_result(void **state)
{
	(void)state;
	char *html = report_page();
	/* The tables (values from the run) and the title (the run's name) aside. */
	char *cut = strstr(html, "<div class=\"scroll\">");
	assert_non_null(cut);
	*cut = '\0';
	const char *words = find_after(html, html, "</h1>");
	for (const char *const *bad = (const char *const[]){ " read", "mmap", "sendfile", "splice", "faster", "slower",
							    "lead", "beat", "win", "verified", "better", "worse", NULL };
	     *bad; bad++)
		if (strstr(words, *bad))
			fail_msg("the page's fixed words say \"%s\": %s", *bad, words);
	free(html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_series_is_the_first_column, page_setup, work_remove),
		cmocka_unit_test_setup_teardown(lecture_figures_come_first_in_their_order_captions_as_text, page_setup,
						work_remove),
		cmocka_unit_test_setup_teardown(the_page_with_lecture_figures_asks_nothing_of_the_network, page_setup,
						work_remove),
		cmocka_unit_test_setup_teardown(a_page_without_lecture_figures_is_still_whole, page_setup, work_remove),
		cmocka_unit_test_setup_teardown(the_pages_own_words_state_no_result, page_setup, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
