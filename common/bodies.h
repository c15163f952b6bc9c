/*
 * The JSON bodies the API's writes take, as input.h field tables. The
 * server validates each request with them at the edge; the client checks
 * a whole CSV file with the same tables before it sends the first row.
 * One table each, so the two cannot drift apart.
 */
#ifndef JF_BODIES_H
#define JF_BODIES_H

#include "input.h"
/* The codes the tables accept, which list filters take too. */
#include "vocab.h"

/*
 * The sizes are part of the declarations, so sizeof works on the tables.
 * Too few here and the compiler refuses the definition; too many leaves
 * an empty field at the end, which tests/unit/test_bodies.c refuses.
 */
#define BODIES_EVENT_NFIELDS		   13
#define BODIES_COMPANY_NFIELDS		   10
#define BODIES_BOOTH_NFIELDS		   5
#define BODIES_REGISTRATION_NFIELDS	   13
#define BODIES_OPENING_NFIELDS		   4
#define BODIES_COMPANY_APPLICATION_NFIELDS 11

extern const struct input_field bodies_event[BODIES_EVENT_NFIELDS];
extern const struct input_field bodies_company[BODIES_COMPANY_NFIELDS];
/* company_id comes first: PATCH, which has it in the path, skips it. */
extern const struct input_field bodies_booth[BODIES_BOOTH_NFIELDS];
extern const struct input_field
    bodies_registration[BODIES_REGISTRATION_NFIELDS];
/* One opening (求人) of a booth: 職種, 雇用形態, 求人番号, 人数. */
extern const struct input_field bodies_opening[BODIES_OPENING_NFIELDS];
/* A company's application on the public form (public.c). */
extern const struct input_field
    bodies_company_application[BODIES_COMPANY_APPLICATION_NFIELDS];

#endif
