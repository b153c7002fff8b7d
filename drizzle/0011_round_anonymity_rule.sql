ALTER TABLE "diagnostic_rounds" ADD COLUMN "anonymity_threshold" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "diagnostic_rounds" ADD COLUMN "named_groups" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
-- Rounds made before this migration take the provider's settings as they are now (ADR 0013).
UPDATE "diagnostic_rounds" SET "anonymity_threshold" = s."threshold", "named_groups" = s."named_groups" FROM "diagnostic_settings" s WHERE s."id" = 'provider';
