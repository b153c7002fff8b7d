CREATE TABLE "school_approvals" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_of" text,
	"token_hash" text,
	"token_sealed" text,
	"expires_at" timestamp with time zone,
	"requested_at" timestamp with time zone,
	"reminders_sent" integer DEFAULT 0 NOT NULL,
	"last_reminded_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"comment" text,
	"approver_name" text,
	"approver_email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "school_approvals_status_check" CHECK ("school_approvals"."status" in ('pending', 'approved', 'declined', 'expired'))
);
--> statement-breakpoint
ALTER TABLE "applications" DROP CONSTRAINT "applications_approval_status_check";--> statement-breakpoint
DROP INDEX "applications_awaiting_approver_idx";--> statement-breakpoint
DROP INDEX "applications_approval_token_key";--> statement-breakpoint
ALTER TABLE "school_approvals" ADD CONSTRAINT "school_approvals_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "school_approvals_token_key" ON "school_approvals" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "school_approvals_awaiting_idx" ON "school_approvals" USING btree ("requested_of") WHERE status = 'pending';--> statement-breakpoint
-- Every approval asked for or recorded (all but not_requested) moves to its own row, as it stood; the
-- link went to the line manager the application names.
INSERT INTO "school_approvals" ("application_id", "status", "requested_of", "token_hash", "token_sealed", "expires_at", "requested_at", "reminders_sent", "last_reminded_at", "decided_at", "comment", "approver_name", "approver_email", "created_at", "updated_at")
SELECT "id", "approval_status", lower("line_manager_email"), "approval_token_hash", "approval_token_sealed", "approval_expires_at", "approval_requested_at", "approval_reminders_sent", "approval_last_reminded_at", "approval_decided_at", "approval_comment", "approver_name", "approver_email", coalesce("approval_requested_at", "submitted_at", "created_at"), "updated_at"
FROM "applications"
WHERE "approval_status" <> 'not_requested';--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "approval_status";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "approval_token_hash";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "approval_token_sealed";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "approval_expires_at";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "approval_requested_at";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "approval_reminders_sent";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "approval_last_reminded_at";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "approval_decided_at";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "approval_comment";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "approver_name";--> statement-breakpoint
ALTER TABLE "applications" DROP COLUMN "approver_email";