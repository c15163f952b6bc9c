/*
 * Interviews scanned at a company's booth: what one line from the
 * scanner asks the server for, and what the answer means for the person
 * at the booth (`jobfair interview`).
 */
#ifndef JF_INTERVIEW_H
#define JF_INTERVIEW_H

#include <cjson/cJSON.h>

enum interview_kind {
	INTERVIEW_OK,	       /* recorded now */
	INTERVIEW_ALREADY,     /* recorded before: nothing to do */
	INTERVIEW_UNKNOWN,     /* not a code of this event's job seekers */
	INTERVIEW_WRONG_EVENT, /* a job seeker of another event */
	INTERVIEW_CANCELLED,   /* a cancelled registration */
	INTERVIEW_ERROR,       /* not recorded (server away or failing) */
	INTERVIEW_STOP,	       /* no scan can work: booth, event or token */
};

struct interview_verdict {
	enum interview_kind kind;
	const char *word;   /* "OK", "ALREADY", … for the screen */
	const char *result; /* "recorded", "unknown_token", … for --json */
	char *message;	    /* what happened and what to do; caller frees */
};

/*
 * The request body for one line from the scanner: {"company_id",
 * "token" or "registration_id", "nonce"}. The line is a check-in token
 * as a scanner types it, or a registration id typed by hand. Returns a
 * new object, or NULL if the line is neither.
 */
cJSON *interview_body_new(const char *line, long company_id, const char *nonce);

/*
 * What the server's answer means: status and reply as client_request()
 * gives them (status -1: the server could not be reached). The caller
 * frees v->message.
 */
void interview_judge(int status, const cJSON *reply,
		     struct interview_verdict *v);

/* The verdict for a line that is no code at all (nothing was sent). */
void interview_not_a_code(struct interview_verdict *v);

#endif
