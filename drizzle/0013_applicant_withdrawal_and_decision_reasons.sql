ALTER TABLE "applications" ADD COLUMN "approver_email" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "gateway_override_reason" text;--> statement-breakpoint
-- An application its applicant took back was stored as a rejection with a made-up reason: it is now its own status.
UPDATE "applications" SET "status" = 'withdrawn', "reason_for_rejection" = NULL WHERE "status" = 'rejected' AND "reason_for_rejection" = 'withdrawn_by_applicant';--> statement-breakpoint
-- Approvals already given were given by whoever the link was sent to.
UPDATE "applications" SET "approver_email" = "line_manager_email" WHERE "approval_status" IN ('approved', 'declined') AND "approver_name" IS NOT NULL;
