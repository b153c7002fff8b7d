CREATE TABLE "moderation_samples" (
	"submission_id" uuid PRIMARY KEY NOT NULL,
	"reason" text,
	"drawn_at" timestamp with time zone NOT NULL,
	"status" text,
	"moderator_user_id" uuid,
	"third_marker_user_id" uuid,
	"sent_back_note" text,
	"final_total" integer,
	"final_result" text,
	"decided_at" timestamp with time zone,
	CONSTRAINT "moderation_samples_reason_check" CHECK ("moderation_samples"."reason" in ('fail', 'borderline', 'new_assessor', 'random', 'per_assessor')),
	CONSTRAINT "moderation_samples_status_check" CHECK ("moderation_samples"."status" in ('second_marking', 'to_decide', 'sent_back', 'third_marking', 'agreed', 'adjusted', 'third_marked')),
	CONSTRAINT "moderation_samples_result_check" CHECK ("moderation_samples"."final_result" in ('pass', 'fail'))
);
--> statement-breakpoint
CREATE TABLE "moderation_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"rules" jsonb NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "moderation_settings_one_row" CHECK ("moderation_settings"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "script_allocations" (
	"submission_id" uuid PRIMARY KEY NOT NULL,
	"candidate_number" text NOT NULL,
	"assessor_user_id" uuid NOT NULL,
	"allocated_by" uuid,
	"allocated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "script_markings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"submission_id" uuid NOT NULL,
	"round" text NOT NULL,
	"marker_user_id" uuid NOT NULL,
	"scheme_version" text NOT NULL,
	"marks" jsonb NOT NULL,
	"overall_comment" text DEFAULT '' NOT NULL,
	"total" integer NOT NULL,
	"result" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	CONSTRAINT "script_markings_status_check" CHECK ("script_markings"."status" in ('draft', 'submitted')),
	CONSTRAINT "script_markings_round_check" CHECK ("script_markings"."round" in ('first', 'second', 'third')),
	CONSTRAINT "script_markings_result_check" CHECK ("script_markings"."result" in ('pass', 'fail'))
);
--> statement-breakpoint
ALTER TABLE "moderation_samples" ADD CONSTRAINT "moderation_samples_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_samples" ADD CONSTRAINT "moderation_samples_moderator_user_id_users_id_fk" FOREIGN KEY ("moderator_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_samples" ADD CONSTRAINT "moderation_samples_third_marker_user_id_users_id_fk" FOREIGN KEY ("third_marker_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "script_allocations" ADD CONSTRAINT "script_allocations_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "script_allocations" ADD CONSTRAINT "script_allocations_assessor_user_id_users_id_fk" FOREIGN KEY ("assessor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "script_allocations" ADD CONSTRAINT "script_allocations_allocated_by_users_id_fk" FOREIGN KEY ("allocated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "script_markings" ADD CONSTRAINT "script_markings_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "script_markings" ADD CONSTRAINT "script_markings_marker_user_id_users_id_fk" FOREIGN KEY ("marker_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "moderation_samples_moderator_idx" ON "moderation_samples" USING btree ("moderator_user_id");--> statement-breakpoint
CREATE INDEX "moderation_samples_third_idx" ON "moderation_samples" USING btree ("third_marker_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "script_allocations_candidate_key" ON "script_allocations" USING btree ("candidate_number");--> statement-breakpoint
CREATE INDEX "script_allocations_assessor_idx" ON "script_allocations" USING btree ("assessor_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "script_markings_round_key" ON "script_markings" USING btree ("submission_id","round");--> statement-breakpoint
CREATE INDEX "script_markings_marker_idx" ON "script_markings" USING btree ("marker_user_id","status");