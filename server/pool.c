/*
 * A pool of libpq connections driven by libevent.
 *
 * Each connection is a small state machine (down, connecting, idle,
 * busy) moved only by conn_set_state(). Queries wait in a bounded FIFO;
 * a "kick" event hands them to idle connections from the loop, so that
 * neither a send nor a callback ever runs inside pool_query(). A lost
 * connection fails its query (it may have committed: the client retries
 * with its idempotency key) and is re-established with backoff.
 *
 * Each connection prepares a statement the first time it runs it (one
 * extra round trip) and from then on only binds and executes it: parsing
 * and planning "SELECT api_checkin($1, $2, $3)" on every request cost
 * the check-in about a tenth of its time. The server's statements are a
 * fixed set; past POOL_PREPARED_MAX distinct texts they run unprepared.
 * When `jobfaird migrate` elsewhere redefines a function so that a
 * prepared statement's result type changes, PostgreSQL refuses to run
 * it before it starts; the job is then prepared afresh and sent again.
 *
 * Queries wait in three queues: event-day work first, then other writes,
 * then reads, of which at most max_reads run at once. The first
 * `reserved` connections take only event-day work. A read's
 * statement_timeout is a session setting, changed by one SET (or RESET)
 * before a query that needs another timeout than the connection's last.
 *
 * Group commit (pool_set_group): when a connection takes an event-day
 * job and more of the same statement wait right behind it, it takes up
 * to group_max of them and sends them as one statement over arrays, so
 * one round trip and one commit serve them all. Each job then gets a
 * result of its own, as if it had run alone; one the group statement
 * marks as failed goes back to the head of the queue to run alone and
 * give its error as it is. Under light load nothing waits, and every
 * job runs alone as before.
 */
#include "pool.h"

#include "log.h"
#include "xmalloc.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_BACKOFF_MIN_MS 100
#define POOL_BACKOFF_MAX_MS 2000
#define POOL_PREPARED_MAX   64
#define POOL_LISTEN_MAX	    4 /* channels: the live stats, the mail */

enum conn_state { CONN_DOWN, CONN_CONNECTING, CONN_IDLE, CONN_BUSY };

enum conn_step { STEP_RUN, STEP_PREPARE, STEP_TIMEOUT };
enum { QUEUE_EVENTDAY, QUEUE_OTHER, QUEUE_READ, QUEUES };

struct pool_job {
	char *sql;
	bool counted;	/* a read counted in pool.reads */
	int timeout_ms; /* statement_timeout to run under; 0: the default */
	int nparams;
	char **params;
	pool_cb cb;
	void *arg;
	bool replanned;
	bool alone;		  /* never grouped: it failed in a group */
	struct pool_job *members; /* a group's jobs, in order, by next */
	int nmembers;
	struct pool_job *next;
};

struct pool_conn {
	struct pool *pool;
	PGconn *pg;
	enum conn_state state;
	struct event *ev;
	struct event *retry;
	int backoff_ms;
	struct pool_job *job;
	PGresult *result;
	bool listener;
	bool reserved; /* takes event-day work only */
	enum conn_step step;
	int timeout_ms; /* the session's statement_timeout; 0: the default */
	char *prepared[POOL_PREPARED_MAX]; /* prepared as "jf<index>" */
	int nprepared;
};

struct pool {
	struct event_base *base;
	char *conninfo;
	struct pool_conn *conns;
	int nconns;
	int healthy;
	bool down;
	struct {
		struct pool_job *head, *tail;
		int n;
	} queues[QUEUES];
	int max_queue;
	int read_timeout_ms;
	int reads, max_reads; /* reads running, and how many may */
	struct event *kick;
	char *group_one, *group_many; /* see pool_set_group */
	int group_max;
	struct pool_conn *listener;
	struct {
		char *channel;
		pool_notify_cb cb;
		void *arg;
	} listens[POOL_LISTEN_MAX];
	int nlistens;
	unsigned long reconnects;
};

static void conn_connect(struct pool_conn *c);
static void conn_event_cb(evutil_socket_t fd, short what, void *arg);

static void
job_free(struct pool_job *job)
{
	struct pool_job *m, *next;

	for (m = job->members; m != NULL; m = next) {
		next = m->next;
		job_free(m);
	}
	for (int i = 0; i < job->nparams; i++)
		free(job->params[i]);
	free(job->params);
	free(job->sql);
	free(job);
}

static void group_finish(struct pool *p, struct pool_job *group,
			 const PGresult *res, const char *error);

static void
job_finish(struct pool *p, struct pool_job *job, const PGresult *res,
	   const char *error)
{
	if (job->members != NULL) {
		group_finish(p, job, res, error);
		return;
	}
	if (job->counted) {
		p->reads--;
		event_active(p->kick, 0, 0); /* another read may go */
	}
	if (job->cb != NULL)
		job->cb(res, error, job->arg);
	job_free(job);
}

static struct pool_job *
pool_pop(struct pool *p, int queue)
{
	struct pool_job *job = p->queues[queue].head;

	if (job != NULL) {
		p->queues[queue].head = job->next;
		if (job->next == NULL)
			p->queues[queue].tail = NULL;
		p->queues[queue].n--;
	}
	return job;
}

static bool
group_takes(const struct pool *p, const struct pool_job *job)
{
	return job != NULL && p->group_one != NULL && !job->alone &&
	       strcmp(job->sql, p->group_one) == 0;
}

/*
 * A PostgreSQL array literal of the members' parameter k: each value
 * quoted, its quotes and backslashes escaped, NULL bare.
 */
static char *
group_array_new(const struct pool_job *members, int k)
{
	size_t size = 3; /* braces and the terminator */
	char *text, *out;

	for (const struct pool_job *m = members; m != NULL; m = m->next)
		size += m->params[k] ? 2 * strlen(m->params[k]) + 3 : 5;
	out = text = xmalloc(size);
	*out++ = '{';
	for (const struct pool_job *m = members; m != NULL; m = m->next) {
		const char *v = m->params[k];

		if (m != members)
			*out++ = ',';
		if (v == NULL) {
			memcpy(out, "NULL", 4);
			out += 4;
			continue;
		}
		*out++ = '"';
		for (; *v != '\0'; v++) {
			if (*v == '"' || *v == '\\')
				*out++ = '\\';
			*out++ = *v;
		}
		*out++ = '"';
	}
	*out++ = '}';
	*out = '\0';
	return text;
}

/*
 * The event-day job `first` and the jobs of its statement waiting right
 * behind it, as one group job; `first` alone when none waits.
 */
static struct pool_job *
pool_group(struct pool *p, struct pool_job *first)
{
	struct pool_job *group, *last = first;

	if (!group_takes(p, first) ||
	    !group_takes(p, p->queues[QUEUE_EVENTDAY].head))
		return first;
	group = xcalloc(1, sizeof *group);
	group->sql = xstrdup(p->group_many);
	group->members = first;
	group->nmembers = 1;
	first->next = NULL;
	while (group->nmembers < p->group_max &&
	       group_takes(p, p->queues[QUEUE_EVENTDAY].head) &&
	       p->queues[QUEUE_EVENTDAY].head->nparams == first->nparams) {
		last->next = pool_pop(p, QUEUE_EVENTDAY);
		last = last->next;
		last->next = NULL;
		group->nmembers++;
	}
	group->nparams = first->nparams;
	group->params = xcalloc(group->nparams, sizeof *group->params);
	for (int k = 0; k < group->nparams; k++)
		group->params[k] = group_array_new(first, k);
	return group;
}

/* Row `row` of the group's answers, as the one-row result of one job. */
static PGresult *
group_row_new(const PGresult *res, int row)
{
	char name[] = "answer";
	PGresAttDesc attr = {.name = name,
			     .typid = PQftype(res, 0),
			     .typlen = -1,
			     .atttypmod = -1};
	PGresult *one = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);

	if (one == NULL || !PQsetResultAttrs(one, 1, &attr) ||
	    (!PQgetisnull(res, row, 0) &&
	     !PQsetvalue(one, 0, 0, PQgetvalue(res, row, 0),
			 PQgetlength(res, row, 0)))) {
		log_error("out of memory making a check-in's result");
		abort();
	}
	return one;
}

/*
 * Answers each member of a group with its own row. A lost connection is
 * every member's answer (each may have committed: clients retry with
 * their nonces, as after a single one); a member the statement marks
 * failed (column 2), or every member when the statement itself failed,
 * goes back to the head of the queue, in order, to run alone.
 */
static void
group_finish(struct pool *p, struct pool_job *group, const PGresult *res,
	     const char *error)
{
	bool rows = res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK &&
		    PQntuples(res) == group->nmembers && PQnfields(res) == 2;
	struct pool_job *m = group->members, *next;
	struct pool_job *retry = NULL, **retry_end = &retry, *retry_last = NULL;
	int nretry = 0;

	group->members = NULL;
	for (int i = 0; m != NULL; i++, m = next) {
		next = m->next;
		m->next = NULL;
		if (res == NULL)
			job_finish(p, m, NULL, error);
		else if (!rows || strcmp(PQgetvalue(res, i, 1), "t") == 0) {
			m->alone = true;
			*retry_end = retry_last = m;
			retry_end = &m->next;
			nretry++;
		} else {
			PGresult *one = group_row_new(res, i);

			job_finish(p, m, one, NULL);
			PQclear(one);
		}
	}
	if (retry != NULL) {
		struct pool_job **head = &p->queues[QUEUE_EVENTDAY].head;

		retry_last->next = *head;
		if (*head == NULL)
			p->queues[QUEUE_EVENTDAY].tail = retry_last;
		*head = retry;
		p->queues[QUEUE_EVENTDAY].n += nretry;
	}
	job_free(group);
	event_active(p->kick, 0, 0);
}

/*
 * The next job for connection c: event-day work first, then writes, then
 * reads while fewer than max_reads run (heavy reads on every connection
 * would leave the database's cores nothing for a check-in).
 */
static struct pool_job *
pool_next(struct pool *p, const struct pool_conn *c)
{
	struct pool_job *job = pool_pop(p, QUEUE_EVENTDAY);

	if (job != NULL || c->reserved)
		return job != NULL ? pool_group(p, job) : NULL;
	if ((job = pool_pop(p, QUEUE_OTHER)) != NULL)
		return job;
	if (p->reads < p->max_reads &&
	    (job = pool_pop(p, QUEUE_READ)) != NULL) {
		p->reads++;
		job->counted = true;
	}
	return job;
}

static void
pool_fail_queue(struct pool *p, const char *error)
{
	struct pool_job *job;

	for (int q = 0; q < QUEUES; q++)
		while ((job = pool_pop(p, q)) != NULL)
			job_finish(p, job, NULL, error);
}

/* Every state change goes through here so `healthy` stays exact. */
static void
conn_set_state(struct pool_conn *c, enum conn_state state)
{
	struct pool *p = c->pool;
	bool was = c->state == CONN_IDLE || c->state == CONN_BUSY;
	bool is = state == CONN_IDLE || state == CONN_BUSY;

	c->state = state;
	if (c->listener || was == is)
		return;
	p->healthy += is ? 1 : -1;
	if (is)
		p->down = false;
}

static void
conn_wait(struct pool_conn *c, short what)
{
	evutil_socket_t fd = PQsocket(c->pg);

	if (c->ev == NULL)
		c->ev = event_new(c->pool->base, fd, what, conn_event_cb, c);
	else {
		event_del(c->ev);
		event_assign(c->ev, c->pool->base, fd, what, conn_event_cb, c);
	}
	event_add(c->ev, NULL);
}

static void
conn_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pool_conn *c = arg;

	(void)fd;
	(void)what;
	c->pool->reconnects++;
	conn_connect(c);
}

/* Prepared statements and settings live and die with the session. */
static void
conn_forget_prepared(struct pool_conn *c)
{
	for (int i = 0; i < c->nprepared; i++)
		free(c->prepared[i]);
	c->nprepared = 0;
	c->step = STEP_RUN;
	c->timeout_ms = 0;
}

/* Drops the connection, fails what depended on it and plans a retry. */
static void
conn_lost(struct pool_conn *c, const char *why)
{
	struct pool *p = c->pool;
	struct pool_job *job = c->job;
	struct timeval tv;

	if (c->state == CONN_IDLE || c->state == CONN_BUSY)
		log_warn("database connection lost: %s", why);
	if (c->ev != NULL) {
		event_free(c->ev);
		c->ev = NULL;
	}
	if (c->result != NULL) {
		PQclear(c->result);
		c->result = NULL;
	}
	if (c->pg != NULL) {
		PQfinish(c->pg);
		c->pg = NULL;
	}
	conn_forget_prepared(c);
	c->job = NULL;
	conn_set_state(c, CONN_DOWN);
	if (job != NULL)
		job_finish(p, job, NULL, "database connection lost");
	if (p->healthy == 0 && !c->listener) {
		p->down = true;
		pool_fail_queue(p, "database unavailable");
	}
	tv.tv_sec = c->backoff_ms / 1000;
	tv.tv_usec = (c->backoff_ms % 1000) * 1000;
	evtimer_add(c->retry, &tv);
	c->backoff_ms *= 2;
	if (c->backoff_ms > POOL_BACKOFF_MAX_MS)
		c->backoff_ms = POOL_BACKOFF_MAX_MS;
}

static void
conn_lost_pq(struct pool_conn *c)
{
	char *why = xstrdup(c->pg ? PQerrorMessage(c->pg) : "no connection");
	size_t len = strlen(why);

	while (len > 0 && (why[len - 1] == '\n' || why[len - 1] == ' '))
		why[--len] = '\0';
	conn_lost(c, why);
	free(why);
}

static int
conn_prepared_index(const struct pool_conn *c, const char *sql)
{
	for (int i = 0; i < c->nprepared; i++)
		if (strcmp(c->prepared[i], sql) == 0)
			return i;
	return -1;
}

/*
 * Sends the job's statement, or first the timeout it needs or its
 * preparation (each a step of its own, see conn_complete).
 */
static void
conn_send(struct pool_conn *c, struct pool_job *job)
{
	const char *const *params = (const char *const *)job->params;
	int index = conn_prepared_index(c, job->sql);
	char name[16], set[64];
	int ok, r;

	c->job = job;
	conn_set_state(c, CONN_BUSY);
	if (job->timeout_ms != c->timeout_ms) {
		if (job->timeout_ms > 0)
			snprintf(set, sizeof set, "SET statement_timeout = %d",
				 job->timeout_ms);
		else
			snprintf(set, sizeof set, "RESET statement_timeout");
		c->step = STEP_TIMEOUT;
		ok = PQsendQuery(c->pg, set);
	} else if (index >= 0) {
		snprintf(name, sizeof name, "jf%d", index);
		ok = PQsendQueryPrepared(c->pg, name, job->nparams, params,
					 NULL, NULL, 0);
	} else if (c->listener)
		ok = PQsendQuery(c->pg, job->sql);
	else if (c->nprepared < POOL_PREPARED_MAX) {
		snprintf(name, sizeof name, "jf%d", c->nprepared);
		c->step = STEP_PREPARE;
		ok = PQsendPrepare(c->pg, name, job->sql, job->nparams, NULL);
	} else
		ok = PQsendQueryParams(c->pg, job->sql, job->nparams, NULL,
				       params, NULL, NULL, 0);
	if (!ok) {
		conn_lost_pq(c);
		return;
	}
	r = PQflush(c->pg);
	if (r < 0)
		conn_lost_pq(c);
	else
		conn_wait(c, r == 1 ? EV_READ | EV_WRITE : EV_READ);
}

static void
pool_dispatch(struct pool *p)
{
	struct pool_job *job;

	for (int i = 0; i < p->nconns; i++)
		if (p->conns[i].state == CONN_IDLE &&
		    (job = pool_next(p, &p->conns[i])) != NULL)
			conn_send(&p->conns[i], job);
}

static void
pool_kick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pool_dispatch(arg);
}

static void
conn_notifies(struct pool_conn *c)
{
	struct pool *p = c->pool;
	PGnotify *n;

	while ((n = PQnotifies(c->pg)) != NULL) {
		for (int i = 0; i < p->nlistens; i++)
			if (strcmp(p->listens[i].channel, n->relname) == 0)
				p->listens[i].cb(n->relname, n->extra,
						 p->listens[i].arg);
		PQfreemem(n);
	}
}

static void
conn_listen_done_cb(const PGresult *res, const char *error, void *arg)
{
	(void)arg;
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK)
		log_warn("LISTEN failed: %s",
			 res ? PQresultErrorMessage(res) : error);
}

static void
conn_ready(struct pool_conn *c)
{
	struct pool *p = c->pool;

	PQsetnonblocking(c->pg, 1);
	c->backoff_ms = POOL_BACKOFF_MIN_MS;
	conn_set_state(c, CONN_IDLE);
	conn_wait(c, EV_READ);
	if (c->listener) {
		struct pool_job *job = xcalloc(1, sizeof *job);
		char *sql = xstrdup(""), *more;

		/* One simple-protocol query: "LISTEN a; LISTEN b". */
		for (int i = 0; i < p->nlistens; i++) {
			const char *ch = p->listens[i].channel;
			char *ident = PQescapeIdentifier(c->pg, ch, strlen(ch));

			xasprintf(&more, "%sLISTEN %s;", sql, ident);
			PQfreemem(ident);
			free(sql);
			sql = more;
		}
		job->sql = sql;
		job->cb = conn_listen_done_cb;
		conn_send(c, job);
		return;
	}
	pool_dispatch(p);
}

static void
conn_poll_connect(struct pool_conn *c)
{
	switch (PQconnectPoll(c->pg)) {
	case PGRES_POLLING_READING:
		conn_wait(c, EV_READ);
		break;
	case PGRES_POLLING_WRITING:
		conn_wait(c, EV_WRITE);
		break;
	case PGRES_POLLING_OK:
		conn_ready(c);
		break;
	default:
		conn_lost_pq(c);
		break;
	}
}

static void
conn_connect(struct pool_conn *c)
{
	const char *keys[] = {"dbname", "application_name", NULL};
	const char *values[] = {c->pool->conninfo, "jobfaird", NULL};

	c->pg = PQconnectStartParams(keys, values, 1);
	if (c->pg == NULL || PQstatus(c->pg) == CONNECTION_BAD ||
	    PQsocket(c->pg) < 0) {
		conn_lost_pq(c);
		return;
	}
	conn_set_state(c, CONN_CONNECTING);
	conn_wait(c, EV_WRITE);
}

/* True when a prepared statement did not run because the functions it
 * calls were redefined with another result type since it was prepared. */
static bool
conn_stale_plan(const PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

	return state != NULL && msg != NULL && strcmp(state, "0A000") == 0 &&
	       strstr(msg, "cached plan must not change result type") != NULL;
}

/* Hands the finished query's result to its owner, then takes more work. */
static void
conn_complete(struct pool_conn *c)
{
	struct pool_job *job = c->job;
	PGresult *res = c->result;
	int index;

	c->result = NULL;
	if (c->step != STEP_RUN) {
		enum conn_step step = c->step;

		c->step = STEP_RUN;
		/* A step that fails fails its job below. */
		if (res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK) {
			PQclear(res);
			if (step == STEP_PREPARE)
				c->prepared[c->nprepared++] = xstrdup(job->sql);
			else
				c->timeout_ms = job->timeout_ms;
			conn_send(c, job);
			return;
		}
	}
	if (res != NULL && !job->replanned && conn_stale_plan(res) &&
	    (index = conn_prepared_index(c, job->sql)) >= 0) {
		/* Its name stays taken in the session: the slot gets a text no
		 * job has, and the statement is prepared under a new name. */
		job->replanned = true;
		free(c->prepared[index]);
		c->prepared[index] = xstrdup("");
		PQclear(res);
		conn_send(c, job);
		return;
	}
	c->job = NULL;
	/*
	 * Every query is one statement, so the session must be back outside
	 * any transaction; if not, it cannot be trusted for the next owner.
	 */
	if (PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		conn_lost(c, "connection left inside a transaction");
	else {
		conn_set_state(c, CONN_IDLE);
		conn_wait(c, EV_READ);
	}
	job_finish(c->pool, job, res, NULL);
	PQclear(res);
	if (c->listener && c->pg != NULL)
		conn_notifies(c);
	pool_dispatch(c->pool);
}

static void
conn_drive(struct pool_conn *c, short what)
{
	PGresult *res;
	int flush = 0;

	if (what & EV_WRITE) {
		flush = PQflush(c->pg);
		if (flush < 0) {
			conn_lost_pq(c);
			return;
		}
	}
	if ((what & EV_READ) && !PQconsumeInput(c->pg)) {
		conn_lost_pq(c);
		return;
	}
	while (!PQisBusy(c->pg)) {
		res = PQgetResult(c->pg);
		if (res == NULL) {
			conn_complete(c);
			return;
		}
		/* Keep the first result, unless a later one is an error. */
		if (c->result == NULL)
			c->result = res;
		else if (PQresultStatus(res) == PGRES_FATAL_ERROR) {
			PQclear(c->result);
			c->result = res;
		} else
			PQclear(res);
	}
	if (PQstatus(c->pg) == CONNECTION_BAD) {
		conn_lost_pq(c);
		return;
	}
	conn_wait(c, flush == 1 ? EV_READ | EV_WRITE : EV_READ);
}

static void
conn_event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pool_conn *c = arg;

	(void)fd;
	switch (c->state) {
	case CONN_CONNECTING:
		conn_poll_connect(c);
		break;
	case CONN_BUSY:
		conn_drive(c, what);
		break;
	case CONN_IDLE:
		/* An idle socket turns readable on a notification or EOF. */
		if (!PQconsumeInput(c->pg) ||
		    PQstatus(c->pg) == CONNECTION_BAD) {
			conn_lost_pq(c);
			return;
		}
		conn_notifies(c);
		conn_wait(c, EV_READ);
		break;
	case CONN_DOWN:
		break;
	}
}

static void
conn_init(struct pool *p, struct pool_conn *c, bool listener)
{
	c->pool = p;
	c->state = CONN_DOWN;
	c->listener = listener;
	c->backoff_ms = POOL_BACKOFF_MIN_MS;
	c->retry = evtimer_new(p->base, conn_retry_cb, c);
	conn_connect(c);
}

static void
conn_fini(struct pool_conn *c)
{
	if (c->ev != NULL)
		event_free(c->ev);
	if (c->retry != NULL)
		event_free(c->retry);
	if (c->result != NULL)
		PQclear(c->result);
	if (c->job != NULL)
		job_free(c->job);
	if (c->pg != NULL)
		PQfinish(c->pg);
	conn_forget_prepared(c);
}

struct pool *
pool_new(struct event_base *base, const char *conninfo, int size, int max_queue)
{
	struct pool *p = xcalloc(1, sizeof *p);

	p->base = base;
	p->conninfo = xstrdup(conninfo);
	p->nconns = size;
	p->max_queue = max_queue;
	p->max_reads = size;
	p->kick = event_new(base, -1, 0, pool_kick_cb, p);
	p->conns = xcalloc(size, sizeof *p->conns);
	for (int i = 0; i < size; i++)
		conn_init(p, &p->conns[i], false);
	return p;
}

/* Jobs still queued are dropped without their callbacks: the loop is over. */
void
pool_abandon(struct pool *p, const char *why)
{
	struct pool_job *job;

	for (int i = 0; i < p->nconns; i++) {
		if ((job = p->conns[i].job) != NULL) {
			p->conns[i].job = NULL;
			job_finish(p, job, NULL, why);
		}
	}
	for (int q = 0; q < QUEUES; q++)
		while ((job = pool_pop(p, q)) != NULL)
			job_finish(p, job, NULL, why);
}

void
pool_free(struct pool *p)
{
	struct pool_job *job;

	if (p == NULL)
		return;
	for (int i = 0; i < p->nconns; i++)
		conn_fini(&p->conns[i]);
	if (p->listener != NULL) {
		conn_fini(p->listener);
		free(p->listener);
	}
	for (int q = 0; q < QUEUES; q++)
		while ((job = pool_pop(p, q)) != NULL)
			job_free(job);
	event_free(p->kick);
	free(p->conns);
	free(p->conninfo);
	free(p->group_one);
	free(p->group_many);
	for (int i = 0; i < p->nlistens; i++)
		free(p->listens[i].channel);
	free(p);
}

void
pool_set_lanes(struct pool *p, int reserved, int max_reads, int read_timeout_ms)
{
	for (int i = 0; i < p->nconns; i++)
		p->conns[i].reserved = i < reserved && i < p->nconns - 1;
	p->max_reads = max_reads > 0 ? max_reads : 1;
	p->read_timeout_ms = read_timeout_ms;
}

void
pool_set_group(struct pool *p, const char *one_sql, const char *many_sql,
	       int max)
{
	free(p->group_one);
	free(p->group_many);
	p->group_one = xstrdup(one_sql);
	p->group_many = xstrdup(many_sql);
	p->group_max = max;
}

enum pool_status
pool_query(struct pool *p, enum pool_lane lane, const char *sql, int nparams,
	   const char *const *params, pool_cb cb, void *arg)
{
	int queue = lane == POOL_LANE_EVENTDAY ? QUEUE_EVENTDAY
		    : lane == POOL_LANE_READ   ? QUEUE_READ
					       : QUEUE_OTHER;
	struct pool_job *job;

	if (p->down && p->healthy == 0)
		return POOL_DOWN;
	if (p->queues[queue].n >= p->max_queue)
		return POOL_FULL;
	job = xcalloc(1, sizeof *job);
	job->timeout_ms = lane == POOL_LANE_READ ? p->read_timeout_ms : 0;
	job->sql = xstrdup(sql);
	job->nparams = nparams;
	job->params = xcalloc(nparams, sizeof *job->params);
	for (int i = 0; i < nparams; i++)
		job->params[i] = params[i] ? xstrdup(params[i]) : NULL;
	job->cb = cb;
	job->arg = arg;
	if (p->queues[queue].tail != NULL)
		p->queues[queue].tail->next = job;
	else
		p->queues[queue].head = job;
	p->queues[queue].tail = job;
	p->queues[queue].n++;
	event_active(p->kick, 0, 0);
	return POOL_QUEUED;
}

int
pool_healthy(const struct pool *p)
{
	return p->healthy;
}

void
pool_get_stats(const struct pool *p, struct pool_stats *out)
{
	*out = (struct pool_stats){.size = p->nconns,
				   .healthy = p->healthy,
				   .reconnects = p->reconnects};
	for (int i = 0; i < p->nconns; i++)
		out->busy += p->conns[i].state == CONN_BUSY;
	for (int q = 0; q < QUEUES; q++)
		out->queued += p->queues[q].n;
}

void
pool_listen(struct pool *p, const char *channel, pool_notify_cb cb, void *arg)
{
	if (p->nlistens == POOL_LISTEN_MAX)
		abort();
	p->listens[p->nlistens].channel = xstrdup(channel);
	p->listens[p->nlistens].cb = cb;
	p->listens[p->nlistens].arg = arg;
	p->nlistens++;
	if (p->listener != NULL) {
		/* Connected already: reconnect, to LISTEN on every channel. */
		conn_fini(p->listener);
		memset(p->listener, 0, sizeof *p->listener);
	} else
		p->listener = xcalloc(1, sizeof *p->listener);
	conn_init(p, p->listener, true);
}
