/*
 * The roles a user holds, one each, as bits so that a route can name the
 * set it admits. Authentication (auth.c) finds the caller's role; the
 * route table (routes.c) says which roles each endpoint admits.
 */
#ifndef JF_ROLES_H
#define JF_ROLES_H

enum role {
	ROLE_ADMIN = 1 << 0,
	ROLE_ORGANIZER = 1 << 1,
	ROLE_FRONTDESK = 1 << 2,
	ROLE_VIEWER = 1 << 3,
	/*
	 * Not users: a request made with a revocable access link (links.h),
	 * admitted only by routes that name these bits, and only for the
	 * link's own event (and booth).
	 */
	ROLE_LINK_DASHBOARD = 1 << 4,
	ROLE_LINK_BOOTH = 1 << 5,
};
#define ROLES_ANY   (ROLE_ADMIN | ROLE_ORGANIZER | ROLE_FRONTDESK | ROLE_VIEWER)
#define ROLES_STAFF (ROLE_ADMIN | ROLE_ORGANIZER)
#define ROLES_DESK  (ROLE_ADMIN | ROLE_ORGANIZER | ROLE_FRONTDESK)
#define ROLES_LINK  (ROLE_LINK_DASHBOARD | ROLE_LINK_BOOTH)

#endif
