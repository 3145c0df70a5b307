#include "interrupts.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* /proc/interrupts grows with CPUs and devices: ~10 KiB here, far more on a big machine. */
#define INTERRUPTS_TEXT_MAX (1024 * 1024)

void interrupts_open(struct interrupts_reader *r)
{
	r->fd = open("/proc/interrupts", O_RDONLY | O_CLOEXEC);
	r->cap = INTERRUPTS_TEXT_MAX;
	r->text = r->fd >= 0 ? malloc(r->cap) : NULL;
	if (r->fd >= 0 && !r->text) {
		close(r->fd);
		r->fd = -1;
	}
	if (r->text)
		memset(r->text, 0, r->cap); /* so a reading never faults in the region's neighbourhood */
}

void interrupts_close(struct interrupts_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	free(r->text);
	r->fd = -1;
	r->text = NULL;
}

double interrupts_tlb_parse(const char *text)
{
	for (const char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *p = line;
		while (*p == ' ')
			p++;
		if (strncmp(p, "TLB:", 4) != 0)
			continue;
		p += 4;
		double sum = 0;
		int any = 0;
		for (;;) { /* one count per CPU, then the description */
			while (*p == ' ')
				p++;
			if (*p < '0' || *p > '9')
				break;
			char *end;
			sum += (double)strtoull(p, &end, 10);
			p = end;
			any = 1;
		}
		return any ? sum : NAN;
	}
	return NAN;
}

double interrupts_tlb(struct interrupts_reader *r)
{
	if (r->fd < 0)
		return NAN;
	size_t got = 0;
	for (;;) { /* procfs hands the file out in pieces: read to its end */
		ssize_t n = pread(r->fd, r->text + got, r->cap - 1 - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got == r->cap - 1)
			break;
	}
	r->text[got] = '\0';
	return interrupts_tlb_parse(r->text);
}
