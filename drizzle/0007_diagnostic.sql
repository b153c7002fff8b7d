CREATE TABLE "diagnostic_instruments" (
	"version" integer PRIMARY KEY NOT NULL,
	"content" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "diagnostic_raters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"group" text NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"token_hash" text NOT NULL,
	"token_sealed" text NOT NULL,
	"status" text DEFAULT 'invited' NOT NULL,
	"draft" jsonb,
	"reminders_sent" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "diagnostic_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"group" text NOT NULL,
	"answers" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "diagnostic_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"instrument_version" integer NOT NULL,
	"opens_on" date NOT NULL,
	"closes_on" date NOT NULL,
	"self_answers" jsonb DEFAULT '{"ratings":{},"comments":{}}'::jsonb NOT NULL,
	"self_submitted" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "diagnostic_settings" (
	"id" text PRIMARY KEY NOT NULL,
	"threshold" integer NOT NULL,
	"named_groups" jsonb NOT NULL,
	"group_limits" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "diagnostic_windows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cohort_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"opens_on" date NOT NULL,
	"closes_on" date NOT NULL
);
--> statement-breakpoint
ALTER TABLE "diagnostic_raters" ADD CONSTRAINT "diagnostic_raters_round_id_diagnostic_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."diagnostic_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diagnostic_responses" ADD CONSTRAINT "diagnostic_responses_round_id_diagnostic_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."diagnostic_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diagnostic_rounds" ADD CONSTRAINT "diagnostic_rounds_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diagnostic_rounds" ADD CONSTRAINT "diagnostic_rounds_instrument_version_diagnostic_instruments_version_fk" FOREIGN KEY ("instrument_version") REFERENCES "public"."diagnostic_instruments"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diagnostic_windows" ADD CONSTRAINT "diagnostic_windows_cohort_id_cohorts_id_fk" FOREIGN KEY ("cohort_id") REFERENCES "public"."cohorts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "diagnostic_raters_token_key" ON "diagnostic_raters" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "diagnostic_raters_round_email_key" ON "diagnostic_raters" USING btree ("round_id",lower("email"));--> statement-breakpoint
CREATE INDEX "diagnostic_raters_round_idx" ON "diagnostic_raters" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "diagnostic_responses_round_idx" ON "diagnostic_responses" USING btree ("round_id");--> statement-breakpoint
CREATE UNIQUE INDEX "diagnostic_rounds_application_kind_key" ON "diagnostic_rounds" USING btree ("application_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "diagnostic_windows_cohort_kind_key" ON "diagnostic_windows" USING btree ("cohort_id","kind");