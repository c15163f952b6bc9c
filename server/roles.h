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
};
#define ROLES_ANY   (ROLE_ADMIN | ROLE_ORGANIZER | ROLE_FRONTDESK | ROLE_VIEWER)
#define ROLES_STAFF (ROLE_ADMIN | ROLE_ORGANIZER)
#define ROLES_DESK  (ROLE_ADMIN | ROLE_ORGANIZER | ROLE_FRONTDESK)

#endif
