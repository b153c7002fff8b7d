CREATE TABLE "participant_status_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"participant_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text,
	"changed_at" timestamp with time zone NOT NULL,
	"changed_by" text NOT NULL,
	CONSTRAINT "participant_status_changes_from_check" CHECK ("participant_status_changes"."from_status" in ('active', 'deferred', 'withdrawn')),
	CONSTRAINT "participant_status_changes_to_check" CHECK ("participant_status_changes"."to_status" in ('active', 'deferred', 'withdrawn')),
	CONSTRAINT "participant_status_changes_reason_check" CHECK ("participant_status_changes"."reason" in ('insufficient-capacity-to-undertake-programme', 'personal-reason-health-or-pregnancy-related', 'personal-reason-moving-school', 'personal-reason-other', 'insufficient-capacity', 'change-in-developmental-or-personal-priorities', 'change-in-school-circumstances', 'change-in-school-leadership', 'quality-of-programme-structure-not-suitable.', 'quality-of-programme-content-not-suitable', 'quality-of-programme-facilitation-not-effective', 'quality-of-programme-accessibility', 'quality-of-programme-other', 'programme-not-appropriate-for-role-and-cpd-needs', 'started-in-error', 'expected-commitment-unclear', 'assessment-requirements-not-met', 'change-in-career', 'disengaged-and-unresponsive', 'non-payment-of-invoice', 'other', 'bereavement', 'long-term-sickness', 'parental-leave', 'career-break'))
);
--> statement-breakpoint
CREATE TABLE "participants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"email" text NOT NULL,
	"dfe_participant_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "participant_id" uuid;--> statement-breakpoint
ALTER TABLE "participant_status_changes" ADD CONSTRAINT "participant_status_changes_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participant_status_changes" ADD CONSTRAINT "participant_status_changes_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participants" ADD CONSTRAINT "participants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "participant_status_changes_participant_idx" ON "participant_status_changes" USING btree ("participant_id","changed_at");--> statement-breakpoint
CREATE INDEX "participant_status_changes_application_idx" ON "participant_status_changes" USING btree ("application_id","changed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "participants_user_key" ON "participants" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "participants_email_without_account_key" ON "participants" USING btree ("email") WHERE user_id is null;--> statement-breakpoint
CREATE UNIQUE INDEX "participants_dfe_participant_id_key" ON "participants" USING btree ("dfe_participant_id");--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "applications_participant_idx" ON "applications" USING btree ("participant_id");--> statement-breakpoint
-- One participant per person who has sent an application: by account, or by email address (lower-case)
-- for applications the provider entered without one. An application entered without an account whose
-- address an account holds belongs to that account's person, as participantFor decides at run time.
-- The id is the participant_id the API already showed for the person's first application (the user id,
-- or that application's id), so no id a client holds for a first application changes.
INSERT INTO "participants" ("id", "user_id", "email", "created_at", "updated_at")
SELECT DISTINCT ON ("person") coalesce("user_id", "id"), "person_user", lower("email"), "created_at", "updated_at"
FROM (
  SELECT "a".*, coalesce("a"."user_id", "u"."id") AS "person_user", coalesce(coalesce("a"."user_id", "u"."id")::text, lower("a"."email")) AS "person"
  FROM "applications" "a" LEFT JOIN "users" "u" ON "a"."user_id" IS NULL AND lower("u"."email") = lower("a"."email")
  WHERE "a"."status" <> 'draft'
) "sent"
ORDER BY "person", "created_at", "id";--> statement-breakpoint
UPDATE "applications" SET "participant_id" = "participants"."id"
FROM "participants"
WHERE "applications"."status" <> 'draft'
  AND (("participants"."user_id" IS NOT NULL AND "participants"."user_id" = coalesce("applications"."user_id", (SELECT "u"."id" FROM "users" "u" WHERE lower("u"."email") = lower("applications"."email"))))
    OR ("applications"."user_id" IS NULL AND "participants"."user_id" IS NULL AND "participants"."email" = lower("applications"."email")));--> statement-breakpoint
-- The history starts with each participant's status as found: how they reached it was not kept before.
INSERT INTO "participant_status_changes" ("participant_id", "application_id", "from_status", "to_status", "reason", "changed_at", "changed_by")
SELECT "participant_id", "id", NULL, "training_status", CASE WHEN "training_status" = 'active' THEN NULL ELSE "training_status_reason" END, coalesce("decided_at", "updated_at"), 'system: migration (earlier changes were not recorded)'
FROM "applications"
WHERE "status" = 'accepted' AND "training_status" IS NOT NULL AND "participant_id" IS NOT NULL;
