-- The tolerance is recorded with each sampled script when drawn (ADR 0064): a new setting applies to later draws.
ALTER TABLE "moderation_samples" ADD COLUMN "tolerance" integer;--> statement-breakpoint
-- Scripts sampled before were drawn under the tolerance saved now (or the default, 4).
UPDATE "moderation_samples" SET "tolerance" = coalesce((SELECT ("rules"->>'tolerance')::int FROM "moderation_settings" WHERE "id" = 1), 4) WHERE "reason" IS NOT NULL;