CREATE TABLE "feedback_requests" (
	"enrolment_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"subject_key" text NOT NULL,
	"outcome" text NOT NULL,
	CONSTRAINT "feedback_requests_enrolment_id_kind_subject_key_pk" PRIMARY KEY("enrolment_id","kind","subject_key"),
	CONSTRAINT "feedback_requests_outcome_check" CHECK ("feedback_requests"."outcome" in ('answered', 'skipped'))
);
--> statement-breakpoint
CREATE TABLE "feedback_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"subject_key" text NOT NULL,
	"subject_title" text NOT NULL,
	"intake_id" uuid,
	"course_identifier" text NOT NULL,
	"cohort_id" uuid,
	"delivery_partner_id" uuid,
	"venue_id" uuid,
	"facilitator_user_id" uuid,
	"rating" integer NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"answered_in" text NOT NULL,
	CONSTRAINT "feedback_responses_kind_check" CHECK ("feedback_responses"."kind" in ('session', 'module', 'coaching')),
	CONSTRAINT "feedback_responses_rating_check" CHECK ("feedback_responses"."rating" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "feedback_requests" ADD CONSTRAINT "feedback_requests_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "feedback_responses_partner_idx" ON "feedback_responses" USING btree ("delivery_partner_id");--> statement-breakpoint
CREATE INDEX "feedback_responses_facilitator_idx" ON "feedback_responses" USING btree ("facilitator_user_id");--> statement-breakpoint
CREATE INDEX "feedback_responses_subject_idx" ON "feedback_responses" USING btree ("intake_id","kind","subject_key");