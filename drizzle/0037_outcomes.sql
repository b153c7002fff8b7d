CREATE TABLE "marking_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"submission_id" uuid NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decision" text,
	"was" jsonb,
	"total" integer,
	"result" text,
	"note" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	CONSTRAINT "marking_reviews_decision_check" CHECK ("marking_reviews"."decision" in ('upheld', 'changed')),
	CONSTRAINT "marking_reviews_result_check" CHECK ("marking_reviews"."result" in ('pass', 'fail'))
);
--> statement-breakpoint
CREATE TABLE "participant_outcomes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"release_id" uuid,
	"state" text NOT NULL,
	"completion_date" date NOT NULL,
	"certificate_code" text,
	"note" text,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "participant_outcomes_state_check" CHECK ("participant_outcomes"."state" in ('passed', 'failed', 'voided'))
);
--> statement-breakpoint
CREATE TABLE "released_results" (
	"submission_id" uuid PRIMARY KEY NOT NULL,
	"release_id" uuid NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"task_key" text NOT NULL,
	"attempt" integer NOT NULL,
	"total" integer NOT NULL,
	"result" text NOT NULL,
	"feedback_round" text NOT NULL,
	CONSTRAINT "released_results_result_check" CHECK ("released_results"."result" in ('pass', 'fail')),
	CONSTRAINT "released_results_round_check" CHECK ("released_results"."feedback_round" in ('first', 'second', 'third'))
);
--> statement-breakpoint
CREATE TABLE "result_releases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"intake_id" uuid NOT NULL,
	"releases_on" date NOT NULL,
	"review_days" integer NOT NULL,
	"resit_due_on" date,
	"set_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"announced_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "marking_reviews" ADD CONSTRAINT "marking_reviews_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "marking_reviews" ADD CONSTRAINT "marking_reviews_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "marking_reviews" ADD CONSTRAINT "marking_reviews_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participant_outcomes" ADD CONSTRAINT "participant_outcomes_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participant_outcomes" ADD CONSTRAINT "participant_outcomes_release_id_result_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."result_releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participant_outcomes" ADD CONSTRAINT "participant_outcomes_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "released_results" ADD CONSTRAINT "released_results_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "released_results" ADD CONSTRAINT "released_results_release_id_result_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."result_releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "released_results" ADD CONSTRAINT "released_results_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_releases" ADD CONSTRAINT "result_releases_intake_id_intakes_id_fk" FOREIGN KEY ("intake_id") REFERENCES "public"."intakes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_releases" ADD CONSTRAINT "result_releases_set_by_users_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "marking_reviews_open_key" ON "marking_reviews" USING btree ("submission_id") WHERE decision is null;--> statement-breakpoint
CREATE INDEX "marking_reviews_enrolment_idx" ON "marking_reviews" USING btree ("enrolment_id");--> statement-breakpoint
CREATE INDEX "participant_outcomes_enrolment_idx" ON "participant_outcomes" USING btree ("enrolment_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "participant_outcomes_code_key" ON "participant_outcomes" USING btree ("certificate_code");--> statement-breakpoint
CREATE INDEX "participant_outcomes_created_idx" ON "participant_outcomes" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "released_results_enrolment_idx" ON "released_results" USING btree ("enrolment_id");--> statement-breakpoint
CREATE INDEX "released_results_release_idx" ON "released_results" USING btree ("release_id");--> statement-breakpoint
CREATE INDEX "result_releases_intake_idx" ON "result_releases" USING btree ("intake_id","releases_on");--> statement-breakpoint
CREATE INDEX "result_releases_unannounced_idx" ON "result_releases" USING btree ("releases_on") WHERE announced_at is null;