CREATE TABLE "enrolments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"intake_id" uuid,
	"delivery_partner_id" uuid,
	"funded_place" boolean,
	"training_status" text DEFAULT 'active' NOT NULL,
	"training_status_reason" text,
	"on_waiting_list" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "enrolments_training_status_check" CHECK ("enrolments"."training_status" in ('active', 'deferred', 'withdrawn')),
	CONSTRAINT "enrolments_training_status_reason_check" CHECK ("enrolments"."training_status_reason" in ('insufficient-capacity-to-undertake-programme', 'personal-reason-health-or-pregnancy-related', 'personal-reason-moving-school', 'personal-reason-other', 'insufficient-capacity', 'change-in-developmental-or-personal-priorities', 'change-in-school-circumstances', 'change-in-school-leadership', 'quality-of-programme-structure-not-suitable.', 'quality-of-programme-content-not-suitable', 'quality-of-programme-facilitation-not-effective', 'quality-of-programme-accessibility', 'quality-of-programme-other', 'programme-not-appropriate-for-role-and-cpd-needs', 'started-in-error', 'expected-commitment-unclear', 'assessment-requirements-not-met', 'change-in-career', 'disengaged-and-unresponsive', 'non-payment-of-invoice', 'other', 'bereavement', 'long-term-sickness', 'parental-leave', 'career-break'))
);--> statement-breakpoint
ALTER TABLE "enrolments" ADD CONSTRAINT "enrolments_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrolments" ADD CONSTRAINT "enrolments_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrolments" ADD CONSTRAINT "enrolments_intake_id_intakes_id_fk" FOREIGN KEY ("intake_id") REFERENCES "public"."intakes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrolments" ADD CONSTRAINT "enrolments_delivery_partner_id_delivery_partners_id_fk" FOREIGN KEY ("delivery_partner_id") REFERENCES "public"."delivery_partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "enrolments_application_key" ON "enrolments" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "enrolments_participant_idx" ON "enrolments" USING btree ("participant_id");--> statement-breakpoint
CREATE INDEX "enrolments_intake_idx" ON "enrolments" USING btree ("intake_id","training_status");--> statement-breakpoint
CREATE INDEX "enrolments_delivery_partner_idx" ON "enrolments" USING btree ("delivery_partner_id");--> statement-breakpoint
-- The data move (hand-written, ADR 0036). Each accepted application becomes its enrolment: the intake it
-- was placed in (applications.intake_id held the placed intake once accepted), its delivery partner, its
-- funded place, training status, reason and waiting list. The application keeps intake_id as the intake
-- the applicant chose. A reason kept beside an active status was stale (resuming cleared it): left out.
-- The enrolment's updated_at is the application's, so what DfE's API shows does not move.
INSERT INTO "enrolments" ("application_id", "participant_id", "intake_id", "delivery_partner_id", "funded_place", "training_status", "training_status_reason", "on_waiting_list", "created_at", "updated_at")
SELECT "id", "participant_id", "intake_id", "delivery_partner_id", "funded_place", coalesce("training_status", 'active'),
  CASE WHEN coalesce("training_status", 'active') = 'active' THEN NULL ELSE "training_status_reason" END,
  "on_waiting_list", coalesce("decided_at", "updated_at"), "updated_at"
FROM "applications"
WHERE "status" = 'accepted';--> statement-breakpoint
-- Each line of a status history names its enrolment: the one made from the application it named.
ALTER TABLE "participant_status_changes" ADD COLUMN "enrolment_id" uuid;--> statement-breakpoint
UPDATE "participant_status_changes" SET "enrolment_id" = "enrolments"."id"
FROM "enrolments" WHERE "enrolments"."application_id" = "participant_status_changes"."application_id";--> statement-breakpoint
ALTER TABLE "participant_status_changes" ALTER COLUMN "enrolment_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "participant_status_changes" ADD CONSTRAINT "participant_status_changes_enrolment_id_enrolments_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."enrolments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "participant_status_changes_enrolment_idx" ON "participant_status_changes" USING btree ("enrolment_id","changed_at");--> statement-breakpoint
ALTER TABLE "applications" DROP CONSTRAINT "applications_training_status_check";--> statement-breakpoint
ALTER TABLE "applications" DROP CONSTRAINT "applications_delivery_partner_id_delivery_partners_id_fk";--> statement-breakpoint
ALTER TABLE "participant_status_changes" DROP CONSTRAINT "participant_status_changes_application_id_applications_id_fk";--> statement-breakpoint
DROP INDEX "participant_status_changes_application_idx";--> statement-breakpoint
DROP INDEX "applications_intake_idx";--> statement-breakpoint
CREATE INDEX "applications_intake_idx" ON "applications" USING btree ("intake_id");--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "delivery_partner_id";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "funded_place";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "training_status";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "on_waiting_list";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "training_status_reason";--> statement-breakpoint
ALTER TABLE "participant_status_changes" DROP COLUMN "application_id";
