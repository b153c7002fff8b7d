CREATE TABLE "gateway_assessments" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'awaiting_submission' NOT NULL,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"submitted_at" timestamp with time zone,
	"scores" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"feedback" text,
	"override_reason" text,
	"reviewer_id" uuid,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gateway_assessments_status_check" CHECK ("gateway_assessments"."status" in ('awaiting_submission', 'submitted', 'passed', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "applications" DROP CONSTRAINT "applications_gateway_status_check";--> statement-breakpoint
ALTER TABLE "applications" DROP CONSTRAINT "applications_gateway_reviewer_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "gateway_assessments" ADD CONSTRAINT "gateway_assessments_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gateway_assessments" ADD CONSTRAINT "gateway_assessments_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "gateway_assessments_queue_idx" ON "gateway_assessments" USING btree ("status","submitted_at");--> statement-breakpoint
-- Every gateway an application has (all but not_required) moves to its own row, as it stood.
INSERT INTO "gateway_assessments" ("application_id", "status", "answers", "submitted_at", "scores", "feedback", "override_reason", "reviewer_id", "reviewed_at", "created_at", "updated_at")
SELECT "id", "gateway_status", "gateway_answers", "gateway_submitted_at", "gateway_scores", "gateway_feedback", "gateway_override_reason", "gateway_reviewer_id", "gateway_reviewed_at", coalesce("submitted_at", "created_at"), "updated_at"
FROM "applications"
WHERE "gateway_status" <> 'not_required';--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "gateway_status";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "gateway_answers";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "gateway_submitted_at";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "gateway_scores";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "gateway_feedback";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "gateway_override_reason";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "gateway_reviewer_id";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "gateway_reviewed_at";