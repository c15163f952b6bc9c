/*
 * Rules across fields (consent, birth date or age, capacity, one
 * registration per person) are the SQL functions' in migrations/, so they
 * hold for every writer; these tables check each field.
 */
#include "bodies.h"

#include <stddef.h>

#define NELEM(a) (sizeof(a) / sizeof *(a))
/* The largest id JSON carries exactly. */
#define BODIES_MAX_ID 9007199254740991L

/* The type is checked against event_types in SQL: it is data, not code. */
const struct input_field bodies_event[] = {
    {"type", INPUT_TEXT, true, 0, 50, NULL, NULL, 0},
    {"title", INPUT_TEXT, true, 0, 200, NULL, NULL, 0},
    {"starts_at", INPUT_TIMESTAMP, true, 0, 0, NULL, NULL, 0},
    {"ends_at", INPUT_TIMESTAMP, true, 0, 0, NULL, NULL, 0},
    {"venue", INPUT_TEXT, false, 0, 200, NULL, NULL, 0},
    {"capacity", INPUT_INT, false, 0, 100000, NULL, NULL, 0},
    {"target_companies", INPUT_INT, false, 0, 10000, NULL, NULL, 0},
    {"target_seekers", INPUT_INT, false, 0, 100000, NULL, NULL, 0},
    {"organizer", INPUT_ENUM, true, 0, 0, vocab_accepted[VOCAB_ORGANIZER], NULL,
     0},
    {"status", INPUT_ENUM, false, 0, 0, vocab_accepted[VOCAB_EVENT_STATUS],
     NULL, 0},
    /* The public application form (申込フォーム): open, until, 持ち物. */
    {"public_open", INPUT_BOOL, false, 0, 0, NULL, NULL, 0},
    {"public_deadline", INPUT_TIMESTAMP, false, 0, 0, NULL, NULL, 0},
    {"public_bring", INPUT_TEXT, false, 0, 500, NULL, NULL, 0},
};

const struct input_field bodies_company[] = {
    {"corporate_number", INPUT_CORPORATE_NUMBER, false, 0, 0, NULL, NULL, 0},
    {"name", INPUT_TEXT, true, 0, 200, NULL, NULL, 0},
    {"name_kana", INPUT_KANA, false, 0, 200, NULL, NULL, 0},
    {"industry", INPUT_TEXT, false, 0, 100, NULL, NULL, 0},
    {"postal_code", INPUT_POSTAL_CODE, false, 0, 0, NULL, NULL, 0},
    {"address", INPUT_TEXT, false, 0, 300, NULL, NULL, 0},
    {"phone", INPUT_PHONE, false, 0, 0, NULL, NULL, 0},
    {"contact_name", INPUT_TEXT, false, 0, 100, NULL, NULL, 0},
    {"email", INPUT_EMAIL, false, 0, 0, NULL, NULL, 0},
    {"establishment_number", INPUT_ESTABLISHMENT_NUMBER, false, 0, 0, NULL,
     NULL, 0},
};

const struct input_field bodies_opening[] = {
    {"title", INPUT_TEXT, true, 0, 200, NULL, NULL, 0},
    {"employment_type", INPUT_ENUM, true, 0, 0,
     vocab_accepted[VOCAB_EMPLOYMENT_TYPE], NULL, 0},
    {"job_number", INPUT_JOB_NUMBER, false, 0, 0, NULL, NULL, 0},
    {"count", INPUT_INT, false, 1, 999, NULL, NULL, 0},
};

const struct input_field bodies_booth[] = {
    {"company_id", INPUT_INT, true, 1, BODIES_MAX_ID, NULL, NULL, 0},
    {"status", INPUT_ENUM, false, 0, 0, vocab_accepted[VOCAB_BOOTH_STATUS],
     NULL, 0},
    {"booth", INPUT_TEXT, false, 0, 50, NULL, NULL, 0},
    {"representatives", INPUT_INT, false, 0, 50, NULL, NULL, 0},
    {"openings", INPUT_OBJECT_LIST, false, 0, 0, NULL, bodies_opening,
     NELEM(bodies_opening)},
};

/*
 * A company's application on the public form: the company's fields the
 * city needs to answer it, all required but the names of those coming.
 */
const struct input_field bodies_company_application[] = {
    {"corporate_number", INPUT_CORPORATE_NUMBER, true, 0, 0, NULL, NULL, 0},
    {"name", INPUT_TEXT, true, 0, 200, NULL, NULL, 0},
    {"name_kana", INPUT_KANA, true, 0, 200, NULL, NULL, 0},
    {"postal_code", INPUT_POSTAL_CODE, true, 0, 0, NULL, NULL, 0},
    {"address", INPUT_TEXT, true, 0, 300, NULL, NULL, 0},
    {"contact_name", INPUT_TEXT, true, 0, 100, NULL, NULL, 0},
    {"phone", INPUT_PHONE, true, 0, 0, NULL, NULL, 0},
    {"email", INPUT_EMAIL, true, 0, 0, NULL, NULL, 0},
    {"representatives", INPUT_INT, true, 1, 50, NULL, NULL, 0},
    {"representative_names", INPUT_TEXT, false, 0, 300, NULL, NULL, 0},
    {"openings", INPUT_OBJECT_LIST, false, 0, 0, NULL, bodies_opening,
     NELEM(bodies_opening)},
};

static const struct input_field disability[] = {
    {"handbook", INPUT_ENUM, true, 0, 0, vocab_accepted[VOCAB_HANDBOOK], NULL,
     0},
};

const struct input_field bodies_registration[] = {
    {"name", INPUT_TEXT, true, 0, 100, NULL, NULL, 0},
    {"name_kana", INPUT_KANA, true, 0, 100, NULL, NULL, 0},
    {"birth_date", INPUT_DATE, false, 0, 0, NULL, NULL, 0},
    {"age", INPUT_INT, false, 15, 120, NULL, NULL, 0},
    {"phone", INPUT_PHONE, false, 0, 0, NULL, NULL, 0},
    {"email", INPUT_EMAIL, false, 0, 0, NULL, NULL, 0},
    {"categories", INPUT_ENUM_LIST, false, 0, 0, vocab_accepted[VOCAB_CATEGORY],
     NULL, 0},
    {"disability", INPUT_OBJECT, false, 0, 0, NULL, disability,
     NELEM(disability)},
    {"accommodations", INPUT_ENUM_LIST, false, 0, 0,
     vocab_accepted[VOCAB_ACCOMMODATION], NULL, 0},
    {"accommodation_note", INPUT_TEXT, false, 0, 1000, NULL, NULL, 0},
    {"supporters", INPUT_INT, false, 0, 10, NULL, NULL, 0},
    {"consent", INPUT_BOOL, true, 0, 0, NULL, NULL, 0},
    {"status", INPUT_ENUM, false, 0, 0,
     vocab_accepted[VOCAB_REGISTRATION_STATUS], NULL, 0},
};
