/*
 * Trusted proxies: a short list compared byte-wise after inet_pton, so
 * "::ffff:127.0.0.1", "127.0.0.1" and spellings of IPv6 are told apart or
 * matched as the kernel would.
 */
#include "proxy.h"

#include "app.h"
#include "xmalloc.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct proxy_net {
	int family;
	unsigned char addr[16];
	int bits;
};

struct proxies {
	int n;
	struct proxy_net nets[];
};

/* "10.0.0.1", "::1", "10.0.0.0/8": 0 when understood. */
static int
proxy_parse(const char *text, struct proxy_net *net)
{
	char buf[64];
	char *slash, *end;
	int max;

	if (strlen(text) >= sizeof buf)
		return -1;
	strcpy(buf, text);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash = '\0';
	if (inet_pton(AF_INET, buf, net->addr) == 1) {
		net->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, net->addr) == 1) {
		net->family = AF_INET6;
		max = 128;
	} else
		return -1;
	net->bits = max;
	if (slash != NULL) {
		long bits = strtol(slash + 1, &end, 10);

		if (slash[1] == '\0' || *end != '\0' || bits < 0 || bits > max)
			return -1;
		net->bits = (int)bits;
	}
	return 0;
}

static bool
proxy_match(const struct proxy_net *net, const struct proxy_net *a)
{
	int whole = net->bits / 8, rest = net->bits % 8;

	if (net->family != a->family ||
	    memcmp(net->addr, a->addr, (size_t)whole) != 0)
		return false;
	return rest == 0 || ((net->addr[whole] ^ a->addr[whole]) &
			     (0xff << (8 - rest)) & 0xff) == 0;
}

struct proxies *
proxies_new(const char *list, char **cause)
{
	size_t max = 1;
	struct proxies *p;
	char *copy, *entry, *save = NULL;

	for (const char *c = list ? list : ""; *c != '\0'; c++)
		max += *c == ',';
	p = xcalloc(1, sizeof *p + max * sizeof p->nets[0]);
	if (list == NULL)
		return p;
	copy = xstrdup(list);
	for (entry = strtok_r(copy, ",", &save); entry != NULL;
	     entry = strtok_r(NULL, ",", &save)) {
		entry += strspn(entry, " ");
		entry[strcspn(entry, " ")] = '\0';
		if (*entry == '\0')
			continue;
		if (proxy_parse(entry, &p->nets[p->n]) != 0) {
			xasprintf(cause,
				  "--trusted-proxies: \"%s\" is not an IP "
				  "address or address/prefix",
				  entry);
			free(copy);
			free(p);
			return NULL;
		}
		p->n++;
	}
	free(copy);
	return p;
}

void
proxies_free(struct proxies *p)
{
	free(p);
}

bool
proxies_trusted(const struct proxies *p, const char *address)
{
	struct proxy_net a;

	if (p == NULL || p->n == 0 || proxy_parse(address, &a) != 0 ||
	    a.bits != (a.family == AF_INET ? 32 : 128))
		return false;
	for (int i = 0; i < p->n; i++)
		if (proxy_match(&p->nets[i], &a))
			return true;
	return false;
}

void
proxies_client_address(const struct http_ctx *ctx, char out[64])
{
	const struct proxies *p = ctx->app->proxies;
	const char *peer = http_client_address(ctx);
	const char *xff = http_header(ctx, "X-Forwarded-For");
	char *copy;

	snprintf(out, 64, "%s", peer);
	if (xff == NULL || !proxies_trusted(p, peer))
		return;
	/*
	 * Each proxy appends the address it saw, so read from the right and
	 * stop at the first one that no trusted proxy wrote. What is not an
	 * address (a client's invention) is never taken.
	 */
	copy = xstrdup(xff);
	for (;;) {
		char *comma = strrchr(copy, ',');
		char *entry = comma != NULL ? comma + 1 : copy;
		struct proxy_net a;

		entry += strspn(entry, " \t");
		entry[strcspn(entry, " \t")] = '\0';
		if (proxy_parse(entry, &a) != 0 || strchr(entry, '/') != NULL)
			break;
		snprintf(out, 64, "%s", entry);
		if (comma == NULL || !proxies_trusted(p, entry))
			break;
		*comma = '\0';
	}
	free(copy);
}

bool
proxies_forwarded_https(const struct http_ctx *ctx)
{
	const char *proto = http_header(ctx, "X-Forwarded-Proto");

	return proto != NULL && strcmp(proto, "https") == 0 &&
	       proxies_trusted(ctx->app->proxies, http_client_address(ctx));
}

bool
proxies_client_local(const struct http_ctx *ctx)
{
	static const struct proxy_net loopback[] = {
	    {.family = AF_INET, .addr = {127}, .bits = 8},
	    {.family = AF_INET6, .addr = {[15] = 1}, .bits = 128},
	    {.family = AF_INET6,
	     .addr = {[10] = 0xff, [11] = 0xff, [12] = 127},
	     .bits = 104},
	};
	struct proxy_net a;
	char client[64];

	proxies_client_address(ctx, client);
	if (proxy_parse(client, &a) != 0)
		return false;
	for (size_t i = 0; i < sizeof loopback / sizeof *loopback; i++)
		if (proxy_match(&loopback[i], &a))
			return true;
	return false;
}
