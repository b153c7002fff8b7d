CREATE TABLE "dfe_api_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"status" integer,
	"duration_ms" integer NOT NULL,
	"request_body" jsonb,
	"response_body" jsonb,
	"error" text,
	"purpose" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dfe_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"application_id" uuid NOT NULL,
	"dfe_application_id" text NOT NULL,
	"body" jsonb,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"answer" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dfe_changes_kind_check" CHECK ("dfe_changes"."kind" in ('accept', 'reject')),
	CONSTRAINT "dfe_changes_state_check" CHECK ("dfe_changes"."state" in ('pending', 'applied', 'refused'))
);
--> statement-breakpoint
CREATE TABLE "dfe_skipped_records" (
	"dfe_application_id" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"record" jsonb NOT NULL,
	"seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dfe_sync_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"since" timestamp with time zone,
	"next_page" integer DEFAULT 1 NOT NULL,
	"run_started_at" timestamp with time zone,
	"last_completed_at" timestamp with time zone,
	"last_full_at" timestamp with time zone,
	"lease_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "dfe_application_id" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "dfe_status" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "dfe_updated_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "dfe_api_calls_at_idx" ON "dfe_api_calls" USING btree ("at");--> statement-breakpoint
CREATE INDEX "dfe_api_calls_path_idx" ON "dfe_api_calls" USING btree ("path","at");--> statement-breakpoint
CREATE UNIQUE INDEX "dfe_changes_application_kind_key" ON "dfe_changes" USING btree ("application_id","kind");--> statement-breakpoint
CREATE INDEX "dfe_changes_state_idx" ON "dfe_changes" USING btree ("state","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_dfe_application_key" ON "applications" USING btree ("dfe_application_id");