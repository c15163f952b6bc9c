/* The vocabulary as JSON, built from common/vocab.c on each request. */
#include "vocabulary.h"

#include "vocab.h"

void
vocabulary_get(struct http_ctx *ctx, const cJSON *input)
{
	cJSON *root = cJSON_CreateObject();

	(void)input;
	for (int k = 0; k < VOCAB_NKINDS; k++) {
		cJSON *list = cJSON_AddArrayToObject(root, vocab_table(k));

		for (size_t i = 0; i < vocab_count(k); i++) {
			const struct vocab_term *t = vocab_term(k, i);
			cJSON *o = cJSON_CreateObject();

			cJSON_AddStringToObject(o, "code", t->code);
			cJSON_AddStringToObject(o, "label_ja", t->label_ja);
			cJSON_AddStringToObject(o, "label_en", t->label_en);
			cJSON_AddItemToArray(list, o);
		}
	}
	http_reply_json(ctx, 200, root);
	cJSON_Delete(root);
}
