/*
 * Access links (links.h). The check of a link is one statement per
 * request, never cached: a revoked link stops at its next request, and
 * its open streams end at once (stats.c checks their credentials again
 * when the revocation is announced).
 */
#include "links.h"

#include "api.h"
#include "app.h"
#include "auth.h"
#include "proxy.h"
#include "qr.h"
#include "routes.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

#define LINKS_SECRET_LEN (sizeof LINKS_PREFIX - 1 + 43)

static const char links_verify_sql[] =
    "SELECT id, kind, event_id, company_id FROM access_link_verify($1)";

/* The secret the request shows, borrowed, or NULL. */
static const char *
links_secret(struct http_ctx *ctx)
{
	const char *token = auth_bearer(http_header(ctx, "Authorization"));

	if (token != NULL)
		return strncmp(token, LINKS_PREFIX, sizeof LINKS_PREFIX - 1) ==
			       0
			   ? token
			   : NULL;
	if ((ctx->route->roles & ROLES_LINK) == 0)
		return NULL;
	return http_query_param(ctx, LINKS_QUERY);
}

bool
links_wanted(struct http_ctx *ctx)
{
	return links_secret(ctx) != NULL;
}

static void
links_verified(struct http_ctx *ctx, const PGresult *res)
{
	bool booth;

	if (PQntuples(res) != 1) {
		auth_failed(ctx, links_secret(ctx),
			    "unknown, expired or revoked link");
		return;
	}
	booth = strcmp(PQgetvalue(res, 0, 1), "booth") == 0;
	ctx->link_id = xstrdup(PQgetvalue(res, 0, 0));
	ctx->link_event_id = xstrdup(PQgetvalue(res, 0, 2));
	if (booth && !PQgetisnull(res, 0, 3))
		ctx->link_company_id = xstrdup(PQgetvalue(res, 0, 3));
	ctx->role = booth ? ROLE_LINK_BOOTH : ROLE_LINK_DASHBOARD;
	/* The access log names the link, never its secret. */
	xasprintf(&ctx->user_name, "link:%s", ctx->link_id);
	routes_dispatch(ctx);
}

void
links_begin(struct http_ctx *ctx)
{
	const char *secret = links_secret(ctx);
	const char *params[1] = {ctx->credential};

	if (strlen(secret) != LINKS_SECRET_LEN ||
	    strspn(secret + sizeof LINKS_PREFIX - 1,
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		   "0123456789-_") !=
		LINKS_SECRET_LEN - (sizeof LINKS_PREFIX - 1)) {
		auth_failed(ctx, NULL, "unknown, expired or revoked link");
		return;
	}
	auth_token_hash(secret, ctx->credential);
	api_query(ctx, links_verify_sql, 1, params, links_verified);
}

/* Whether the path argument named `name` of the route, if any, is `want`. */
static bool
links_arg_is(const struct http_ctx *ctx, const char *name, const char *want)
{
	const char *seg = ctx->route->path;
	int arg = 0;

	while ((seg = strchr(seg, '{')) != NULL && arg < HTTP_MAX_ARGS) {
		size_t len = strcspn(seg, "/");

		if (strlen(name) == len && strncmp(seg, name, len) == 0)
			return want != NULL &&
			       strcmp(ctx->args[arg], want) == 0;
		arg++;
		seg += len;
	}
	return true;
}

bool
links_scope_ok(struct http_ctx *ctx)
{
	static const char events[] = "/api/v1/events/{id}";

	if (ctx->link_id == NULL)
		return true;
	if ((strncmp(ctx->route->path, events, sizeof events - 1) == 0 &&
	     !links_arg_is(ctx, "{id}", ctx->link_event_id)) ||
	    !links_arg_is(ctx, "{company_id}", ctx->link_company_id)) {
		http_reply_error(ctx, 403,
				 "this link is for another event "
				 "or booth");
		return false;
	}
	return true;
}

/* The page a link opens, by its kind. */
static const char *
links_page(const char *kind)
{
	return strcmp(kind, "booth") == 0 ? "/booth.html" : "/dashboard.html";
}

/* The new link's answer: its row, and once only its secret, URL and QR. */
static void
links_created(struct http_ctx *ctx, const PGresult *res)
{
	const char *secret = ctx->data;
	const char *host = http_header(ctx, "Host");
	cJSON *link, *kind;
	char *url, *svg, *cause = NULL;

	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0) ||
	    (link = cJSON_Parse(PQgetvalue(res, 0, 0))) == NULL) {
		http_reply_error(ctx, 404, "no such resource");
		return;
	}
	kind = cJSON_GetObjectItemCaseSensitive(link, "kind");
	/* The secret goes in the fragment: a browser never sends it. */
	xasprintf(&url, "%s://%s%s#link=%s",
		  proxies_forwarded_https(ctx) ? "https" : "http",
		  host ? host : "localhost",
		  links_page(cJSON_IsString(kind) ? kind->valuestring : ""),
		  secret);
	cJSON_AddStringToObject(link, "secret", secret);
	cJSON_AddStringToObject(link, "url", url);
	if ((svg = qr_svg_new(url, QR_SCALE_DEFAULT, &cause)) != NULL)
		cJSON_AddStringToObject(link, "qr_svg", svg);
	free(svg);
	free(cause);
	free(url);
	http_reply_json(ctx, 201, link);
	cJSON_Delete(link);
}

void
links_create(struct http_ctx *ctx, const cJSON *input)
{
	char *secret = auth_secret_new(LINKS_PREFIX), hash[65], *body;
	const char *params[4] = {ctx->user_id, ctx->args[0], hash};

	auth_token_hash(secret, hash);
	ctx->data = secret;
	ctx->data_free = free;
	params[3] = body = cJSON_PrintUnformatted(input);
	api_query(ctx, "SELECT api_link_create($1, $2, $3, $4::jsonb)", 4,
		  params, links_created);
	cJSON_free(body);
}
