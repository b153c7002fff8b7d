CREATE TABLE "submission_extensions" (
	"enrolment_id" uuid NOT NULL,
	"task_key" text NOT NULL,
	"due_on" date NOT NULL,
	"reason" text NOT NULL,
	"granted_by" text NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "submission_extensions_enrolment_id_task_key_pk" PRIMARY KEY("enrolment_id","task_key")
);
--> statement-breakpoint
CREATE TABLE "submission_windows" (
	"intake_id" uuid NOT NULL,
	"task_key" text NOT NULL,
	"opens_on" date NOT NULL,
	"due_on" date NOT NULL,
	"late_until" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "submission_windows_intake_id_task_key_pk" PRIMARY KEY("intake_id","task_key")
);
--> statement-breakpoint
CREATE TABLE "submissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"task_key" text NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"file_name" text NOT NULL,
	"file_type" text NOT NULL,
	"file_size" integer NOT NULL,
	"file_key" text NOT NULL,
	"word_limit" integer NOT NULL,
	"words_total" integer NOT NULL,
	"words_counted" integer NOT NULL,
	"words_excluded" jsonb NOT NULL,
	"over_limit" boolean NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "submissions_status_check" CHECK ("submissions"."status" in ('draft', 'submitted', 'withdrawn', 'discarded'))
);
--> statement-breakpoint
ALTER TABLE "submission_extensions" ADD CONSTRAINT "submission_extensions_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_windows" ADD CONSTRAINT "submission_windows_intake_id_intakes_id_fk" FOREIGN KEY ("intake_id") REFERENCES "public"."intakes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "submissions_enrolment_idx" ON "submissions" USING btree ("enrolment_id","task_key");--> statement-breakpoint
CREATE INDEX "submissions_status_idx" ON "submissions" USING btree ("status","submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "submissions_one_draft_key" ON "submissions" USING btree ("enrolment_id","task_key") WHERE status = 'draft';--> statement-breakpoint
CREATE UNIQUE INDEX "submissions_one_sent_key" ON "submissions" USING btree ("enrolment_id","task_key","attempt") WHERE status = 'submitted';