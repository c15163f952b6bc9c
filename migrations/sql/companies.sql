-- Companies.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent.

CREATE OR REPLACE FUNCTION company_json(c companies) RETURNS json
LANGUAGE sql IMMUTABLE AS $$
    SELECT json_build_object(
        'id', c.id, 'corporate_number', c.corporate_number, 'name', c.name,
        'name_kana', c.name_kana, 'industry', c.industry,
        'postal_code', c.postal_code,
        'postal_code_display', substr(c.postal_code, 1, 3) || '-' || substr(c.postal_code, 4),
        'address', c.address, 'phone', c.phone, 'contact_name', c.contact_name,
        'email', c.email, 'establishment_number', c.establishment_number);
$$;

CREATE OR REPLACE FUNCTION api_company_create(p_user bigint, p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    c companies := jsonb_populate_record(NULL::companies, p);
BEGIN
    INSERT INTO companies (corporate_number, name, name_kana, industry, postal_code,
                           address, phone, contact_name, email, establishment_number)
    VALUES (c.corporate_number, c.name, c.name_kana, c.industry, c.postal_code,
            c.address, c.phone, c.contact_name, c.email, c.establishment_number)
    RETURNING * INTO c;
    PERFORM audit(p_user, 'create', 'company', c.id, p);
    RETURN company_json(c);
END;
$$;

CREATE OR REPLACE FUNCTION api_company_update(p_user bigint, p_id bigint, p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    c companies;
BEGIN
    SELECT * INTO c FROM companies WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such company' USING ERRCODE = 'JF404';
    END IF;
    c := jsonb_populate_record(c, p);
    UPDATE companies SET (corporate_number, name, name_kana, industry, postal_code,
                          address, phone, contact_name, email, establishment_number,
                          updated_at)
        = (c.corporate_number, c.name, c.name_kana, c.industry, c.postal_code,
           c.address, c.phone, c.contact_name, c.email, c.establishment_number, now())
    WHERE id = p_id
    RETURNING * INTO c;
    PERFORM audit(p_user, 'update', 'company', c.id, p);
    RETURN company_json(c);
END;
$$;

-- q->>'key' is the search text as text_search_key_new() leaves it (kana in
-- katakana); q->>'q' without spaces also finds names written in hiragana.
CREATE OR REPLACE FUNCTION api_companies_list(q jsonb) RETURNS json
LANGUAGE plpgsql STABLE AS $$
DECLARE
    items json[];
    ids bigint[];
    plain text := lower(regexp_replace(normalize(q->>'q', NFKC), '\s', '', 'g'));
    key text := lower(q->>'key');
BEGIN
    SELECT array_agg(j ORDER BY id), array_agg(id ORDER BY id) INTO items, ids
    FROM (SELECT c.id, company_json(c) AS j FROM companies c
          WHERE c.id > page_after(q)
            AND (key IS NULL OR strpos(lower(c.search_key), key) > 0
                 OR strpos(lower(c.search_key), plain) > 0)
          ORDER BY c.id LIMIT page_limit(q) + 1) page;
    RETURN page_json(items, ids, page_limit(q));
END;
$$;
