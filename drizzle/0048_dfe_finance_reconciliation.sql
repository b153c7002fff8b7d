CREATE TABLE "dfe_contracts" (
	"cohort" text NOT NULL,
	"course_identifier" text NOT NULL,
	"per_participant_pence" integer NOT NULL,
	"recruitment_target" integer NOT NULL,
	"output_payment_percent" integer DEFAULT 60 NOT NULL,
	"service_fee_percent" integer DEFAULT 40 NOT NULL,
	"service_fee_instalments" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dfe_contracts_cohort_course_identifier_pk" PRIMARY KEY("cohort","course_identifier")
);
--> statement-breakpoint
CREATE TABLE "dfe_reconciliation_differences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"application_id" uuid,
	"dfe_id" text,
	"platform" jsonb,
	"dfe" jsonb,
	"action" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dfe_reconciliation_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "dfe_reconciliation_differences" ADD CONSTRAINT "dfe_reconciliation_differences_run_id_dfe_reconciliation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."dfe_reconciliation_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dfe_reconciliation_differences_run_idx" ON "dfe_reconciliation_differences" USING btree ("run_id","kind");--> statement-breakpoint
CREATE INDEX "dfe_reconciliation_runs_started_idx" ON "dfe_reconciliation_runs" USING btree ("started_at");