/*
 * Unit tests for the route table (server/routes.c): every row is one that
 * the executor can run as written, and the matcher finds each row by its
 * own path whatever else it is given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "routes.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
path_nargs(const char *path)
{
	int n = 0;

	for (; *path != '\0'; path++)
		n += *path == '{';
	return n;
}

/* The highest $n an SQL statement uses. */
static int
sql_nparams(const char *sql)
{
	int most = 0;

	for (; *sql != '\0'; sql++)
		if (*sql == '$' && sql[1] >= '1' && sql[1] <= '9') {
			int n = atoi(sql + 1);

			most = n > most ? n : most;
		}
	return most;
}

static void
test_each_row_runs_sql_or_a_handler(void **state)
{
	size_t n;
	const struct route *r = routes_table(&n);

	(void)state;
	assert_true(n > 40);
	for (size_t i = 0; i < n; i++) {
		if ((r[i].handler == NULL) == (r[i].sql == NULL))
			fail_msg("%s: a handler or an SQL statement",
				 r[i].path);
		if (r[i].handler != NULL &&
		    (r[i].params != 0 || r[i].status != 0 ||
		     r[i].shape != ROUTE_JSON))
			fail_msg("%s: a handler's row says what only the "
				 "executor reads",
				 r[i].path);
	}
}

/* The statement takes exactly the parameters the row passes it. */
static void
test_sql_parameters_match_the_row(void **state)
{
	size_t n;
	const struct route *r = routes_table(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		int want;

		if (r[i].sql == NULL)
			continue;
		want = path_nargs(r[i].path) + !!(r[i].params & ROUTE_USER) +
		       !!(r[i].params & ROUTE_LINK) +
		       !!(r[i].params & ROUTE_TOKEN) +
		       !!(r[i].params & ROUTE_VIEW) +
		       (r[i].body != NULL || r[i].filters != NULL);
		if (sql_nparams(r[i].sql) != want)
			fail_msg("%s: the statement takes %d parameters, the "
				 "row passes %d",
				 r[i].path, sql_nparams(r[i].sql), want);
	}
}

static void
test_paths_are_unique_per_method(void **state)
{
	size_t n;
	const struct route *r = routes_table(&n);

	(void)state;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (r[i].method == r[j].method &&
			    strcmp(r[i].path, r[j].path) == 0)
				fail_msg("%s twice", r[i].path);
}

static void
test_bodies_have_field_tables_and_limits(void **state)
{
	size_t n;
	const struct route *r = routes_table(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		bool writes = r[i].method != EVHTTP_REQ_GET &&
			      r[i].method != EVHTTP_REQ_DELETE;

		if (r[i].body != NULL &&
		    (r[i].nbody == 0 || r[i].max_body == 0 || !writes))
			fail_msg("%s: a body needs fields, a limit and a "
				 "method that sends one",
				 r[i].path);
		/* Only a handler reads a body its own way (the outcomes CSV).
		 */
		if (r[i].max_body > 0 && r[i].body == NULL &&
		    r[i].handler == NULL)
			fail_msg("%s: a body limit without a field table",
				 r[i].path);
		if (r[i].body != NULL && r[i].filters != NULL)
			fail_msg("%s: reads a body or a query, not both",
				 r[i].path);
		if ((r[i].filters != NULL) != (r[i].nfilters > 0))
			fail_msg("%s: filters and their size", r[i].path);
		if (r[i].check != NULL && r[i].body == NULL &&
		    r[i].filters == NULL)
			fail_msg("%s: a check with nothing to check",
				 r[i].path);
	}
}

static void
test_only_health_is_open(void **state)
{
	size_t n;
	const struct route *r = routes_table(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		/* Signing in is how a caller gets a session. */
		bool health = strcmp(r[i].path, "/healthz") == 0 ||
			      strcmp(r[i].path, "/readyz") == 0 ||
			      (strcmp(r[i].path, "/api/v1/session") == 0 &&
			       r[i].method == EVHTTP_REQ_POST) ||
			      r[i].public;
		bool apply = strncmp(r[i].path, "/apply", 6) == 0;

		/* The public door's pages, and only they, are under /apply. */
		if (r[i].public != apply)
			fail_msg("%s: public pages are /apply/…", r[i].path);
		if (r[i].public && r[i].handler == NULL)
			fail_msg("%s: a public page is a page handler",
				 r[i].path);

		if ((r[i].roles == 0) != health)
			fail_msg("%s: roles", r[i].path);
		if ((r[i].roles & ~(unsigned)(ROLES_ANY | ROLES_LINK)) != 0)
			fail_msg("%s: an unknown role", r[i].path);
	}
}

/*
 * An access link reaches only its own event's routes (links_scope_ok
 * checks the {id} of /api/v1/events/{id}/…) and its own description.
 */
static void
test_links_only_under_their_event(void **state)
{
	size_t n;
	const struct route *r = routes_table(&n);
	static const char events[] = "/api/v1/events/{id}/";

	(void)state;
	for (size_t i = 0; i < n; i++)
		if ((r[i].roles & ROLES_LINK) != 0 &&
		    strncmp(r[i].path, events, sizeof events - 1) != 0 &&
		    strcmp(r[i].path, "/api/v1/link") != 0)
			fail_msg("%s: a link outside its event", r[i].path);
}

/* The path with each {…} replaced by "7", "8", …; the caller frees it. */
static char *
path_with_args(const char *pattern)
{
	char *out = malloc(strlen(pattern) * 2 + 1), *o = out;
	char arg = '7';

	while (*pattern != '\0') {
		if (*pattern == '{') {
			*o++ = arg++;
			pattern += strcspn(pattern, "}") + 1;
		} else
			*o++ = *pattern++;
	}
	*o = '\0';
	return out;
}

static void
test_matcher_finds_every_row(void **state)
{
	size_t n;
	const struct route *r = routes_table(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		char *path = path_with_args(r[i].path);
		const char *args[HTTP_MAX_ARGS] = {NULL};
		bool known;

		assert_ptr_equal(routes_match(r[i].method, path, args, &known),
				 &r[i]);
		assert_true(known);
		if (path_nargs(r[i].path) > 0)
			assert_string_equal(args[0], "7");
		if (path_nargs(r[i].path) > 1)
			assert_string_equal(args[1], "8");
		free(path);
	}
}

static void
test_matcher_methods_and_strange_paths(void **state)
{
	static const char *const strange[] = {
	    "",		  "/",
	    "//",	  "/api",
	    "/api/v1/",	  "/api/v1/events/1/2/3/4/5/6",
	    "{id}",	  "/api/v1/{id}",
	    "/healthz/x", "/api/v1/events/1/\xff"};
	const char *args[HTTP_MAX_ARGS];
	char path[64], *longer;
	bool known;

	(void)state;
	strcpy(path, "/api/v1/events/3");
	assert_null(routes_match(EVHTTP_REQ_DELETE, path, args, &known));
	assert_true(known); /* 405, not 404 */
	strcpy(path, "/api/v1/events/3");
	assert_non_null(routes_match(EVHTTP_REQ_HEAD, path, args, &known));
	/* Slashes are separators however many there are. */
	strcpy(path, "//api//v1/events/3/");
	assert_non_null(routes_match(EVHTTP_REQ_GET, path, args, &known));
	assert_string_equal(args[0], "3");
	/* Any argument matches: request_path_ok answers 404 later. */
	strcpy(path, "/api/v1/events/\xff\xfe/stats");
	assert_non_null(routes_match(EVHTTP_REQ_GET, path, args, &known));
	assert_string_equal(args[0], "\xff\xfe");
	for (size_t i = 0; i < sizeof strange / sizeof *strange; i++) {
		snprintf(path, sizeof path, "%s", strange[i]);
		assert_null(routes_match(EVHTTP_REQ_GET, path, args, &known));
	}
	longer = malloc(100001);
	memset(longer, '/', 100000);
	longer[100000] = '\0';
	assert_null(routes_match(EVHTTP_REQ_GET, longer, args, &known));
	assert_false(known);
	free(longer);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_each_row_runs_sql_or_a_handler),
	    cmocka_unit_test(test_sql_parameters_match_the_row),
	    cmocka_unit_test(test_paths_are_unique_per_method),
	    cmocka_unit_test(test_bodies_have_field_tables_and_limits),
	    cmocka_unit_test(test_only_health_is_open),
	    cmocka_unit_test(test_links_only_under_their_event),
	    cmocka_unit_test(test_matcher_finds_every_row),
	    cmocka_unit_test(test_matcher_methods_and_strange_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
