/*
 * QR codes rendered per second on one core: the same qr_png_new that
 * serves /qr.png, over distinct fresh tokens, for a fixed time.
 * usage: bench_qr [SECONDS]
 */
#include "qr.h"
#include "token.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 5, start, elapsed;
	char token[TOKEN_LEN + 1];
	unsigned char *png;
	size_t len, bytes = 0;
	char *cause = NULL;
	long n = 0;

	start = bench_now();
	do {
		if (token_generate(token) != 0 ||
		    qr_png_new(token, QR_SCALE_DEFAULT, &png, &len, &cause) !=
			0) {
			fprintf(stderr, "bench_qr: %s\n",
				cause ? cause : "no random bytes");
			return 1;
		}
		bytes += len;
		free(png);
		n++;
	} while ((elapsed = bench_now() - start) < seconds);
	printf("qr_png_per_second=%.0f codes=%ld mean_png_bytes=%zu\n",
	       n / elapsed, n, bytes / n);
	return 0;
}
