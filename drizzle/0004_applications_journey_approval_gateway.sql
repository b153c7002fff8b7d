CREATE TABLE "gateway_configs" (
	"course_identifier" text PRIMARY KEY NOT NULL,
	"questions" jsonb NOT NULL,
	"criteria" jsonb NOT NULL,
	"pass_mark" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "answers" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "full_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "email" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "intake_id" uuid;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "delivery_partner_id" uuid;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "delivery_mode" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "time_zone" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "works_in_england" boolean;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "work_setting" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "school_urn" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "school_ukprn" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "employer_name" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "employment_role" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "employment_type" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "kind_of_nursery" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "private_childcare_provider_urn" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "itt_provider" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "new_headteacher" boolean;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "line_manager_name" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "line_manager_email" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "funding_choice" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "consented_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "subject_to_review" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "reason_for_rejection" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "submitted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "approval_status" text DEFAULT 'not_requested' NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "approval_token_hash" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "approval_token_sealed" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "approval_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "approval_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "approval_reminders_sent" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "approval_last_reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "approval_decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "approval_comment" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "approver_name" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "gateway_status" text DEFAULT 'not_required' NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "gateway_answers" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "gateway_submitted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "gateway_scores" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "gateway_feedback" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "gateway_reviewer_id" uuid;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "gateway_reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "training_status" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "on_waiting_list" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "training_status_reason" text;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_intake_id_intakes_id_fk" FOREIGN KEY ("intake_id") REFERENCES "public"."intakes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_delivery_partner_id_delivery_partners_id_fk" FOREIGN KEY ("delivery_partner_id") REFERENCES "public"."delivery_partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_gateway_reviewer_id_users_id_fk" FOREIGN KEY ("gateway_reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "applications_inbox_idx" ON "applications" USING btree ("course_identifier","cohort_id","status","created_at");--> statement-breakpoint
CREATE INDEX "applications_updated_idx" ON "applications" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "applications_user_idx" ON "applications" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "applications_intake_idx" ON "applications" USING btree ("intake_id","training_status");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_approval_token_key" ON "applications" USING btree ("approval_token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_one_draft_key" ON "applications" USING btree ("user_id") WHERE status = 'draft';--> statement-breakpoint
CREATE UNIQUE INDEX "applications_one_live_key" ON "applications" USING btree (lower(email),"course_identifier","cohort_id") WHERE status in ('pending', 'accepted');