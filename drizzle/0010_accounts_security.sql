ALTER TABLE "sign_in_throttles" DROP CONSTRAINT "sign_in_throttles_pkey";--> statement-breakpoint
ALTER TABLE "sign_in_throttles" ADD COLUMN "source" text DEFAULT 'account' NOT NULL;--> statement-breakpoint
ALTER TABLE "sign_in_throttles" ADD COLUMN "last_succeeded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sign_in_throttles" ADD CONSTRAINT "sign_in_throttles_email_key_source_pk" PRIMARY KEY("email_key","source");--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "scopes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
-- Tokens made before scopes existed could do everything: they keep every scope (docs/adr/0020).
UPDATE "api_tokens" SET "scopes" = ARRAY['qualifications:read', 'cohorts:read', 'cohorts:write', 'funding:read', 'applications:read', 'applications:write', 'reference:write', 'diagnostic:read']::text[];
