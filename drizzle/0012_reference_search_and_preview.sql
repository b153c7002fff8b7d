DROP INDEX "schools_search_idx";--> statement-breakpoint
ALTER TABLE "reference_imports" ADD COLUMN "pending_file" text;--> statement-breakpoint
ALTER TABLE "reference_imports" ADD COLUMN "preview" jsonb;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "search_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "schools_search_text_idx" ON "schools" USING gin (to_tsvector('simple', "search_text"));--> statement-breakpoint
-- Schools imported before: their search text, as normaliseSchoolText writes it (accents of Latin letters
-- by translate, as unaccent is not everywhere); the next GIAS import rewrites each row's in TypeScript.
UPDATE "schools" SET "search_text" = trim(regexp_replace(
  regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
    ' ' || regexp_replace(regexp_replace(regexp_replace(regexp_replace(
      translate(lower("name" || ' ' || coalesce("town", '') || ' ' || coalesce("postcode", '') || ' ' || replace(coalesce("postcode", ''), ' ', '')),
        'àáâãäåāăąçćčďèéêëēėęěìíîïīįłñńňòóôõöøōőŕřśšşťùúûüūůűųýÿźżž', 'aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorrsssstuuuuuuuuyyzzz'),
      '&', ' and ', 'g'),
      '[''’‘`]s\y', '', 'g'),
      '[''’‘`]', '', 'g'),
      '[^[:alnum:]]+', ' ', 'g') || ' ',
    '\ychurch of england\y', ' cofe ', 'g'),
    '\yc of e\y', ' cofe ', 'g'),
    '\yc ?e\y', ' cofe ', 'g'),
    '\yroman catholic\y', ' catholic ', 'g'),
    '\yr ?c\y', ' catholic ', 'g'),
    '\yst\y', ' saint ', 'g'),
    '\ysts\y', ' saints ', 'g'),
  '\s+', ' ', 'g'));
--> statement-breakpoint
-- Funding is described from the funding rules now (enrolment/domain/funding-summary.ts): the hand-written
-- prose some catalogues hold contradicted the checker, and is no longer shown anywhere.
UPDATE "qualifications" SET "dfe_funding" = '';
