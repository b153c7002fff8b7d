CREATE TABLE "board_presentations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"task_key" text NOT NULL,
	"presented_on" date NOT NULL,
	"board_name" text NOT NULL,
	"school" text NOT NULL,
	"contact_name" text,
	"contact_email" text,
	"contact_role" text,
	"token_hash" text,
	"requested_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"feedback" text,
	"feedback_by" text,
	"feedback_at" timestamp with time zone,
	"minutes_name" text,
	"minutes_type" text,
	"minutes_size" integer,
	"minutes_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "board_presentations_school_check" CHECK ("board_presentations"."school" in ('own', 'placement')),
	CONSTRAINT "board_presentations_role_check" CHECK ("board_presentations"."contact_role" in ('chair', 'clerk'))
);
--> statement-breakpoint
CREATE TABLE "placement_confirmations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"placement_id" uuid NOT NULL,
	"days" jsonb NOT NULL,
	"sent_to" text NOT NULL,
	"token_hash" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"answer" text,
	"answered_by" text,
	"comment" text DEFAULT '' NOT NULL,
	"answered_at" timestamp with time zone,
	CONSTRAINT "placement_confirmations_answer_check" CHECK ("placement_confirmations"."answer" in ('confirmed', 'disputed'))
);
--> statement-breakpoint
CREATE TABLE "placement_periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"placement_id" uuid NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"confirmation_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "placements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"task_key" text NOT NULL,
	"host_urn" integer NOT NULL,
	"contrasts" jsonb NOT NULL,
	"contrast_note" text DEFAULT '' NOT NULL,
	"host_contact_name" text NOT NULL,
	"host_contact_email" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "project_log_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"worked_on" date NOT NULL,
	"minutes" integer NOT NULL,
	"reflection" text NOT NULL,
	"file_name" text,
	"file_type" text,
	"file_size" integer,
	"file_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "project_log_entries_minutes_check" CHECK ("project_log_entries"."minutes" between 1 and 720)
);
--> statement-breakpoint
ALTER TABLE "board_presentations" ADD CONSTRAINT "board_presentations_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "placement_confirmations" ADD CONSTRAINT "placement_confirmations_placement_id_placements_id_fk" FOREIGN KEY ("placement_id") REFERENCES "public"."placements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "placement_periods" ADD CONSTRAINT "placement_periods_placement_id_placements_id_fk" FOREIGN KEY ("placement_id") REFERENCES "public"."placements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "placements" ADD CONSTRAINT "placements_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_log_entries" ADD CONSTRAINT "project_log_entries_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "board_presentations_enrolment_idx" ON "board_presentations" USING btree ("enrolment_id","presented_on");--> statement-breakpoint
CREATE UNIQUE INDEX "board_presentations_token_key" ON "board_presentations" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "placement_confirmations_token_key" ON "placement_confirmations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "placement_confirmations_placement_idx" ON "placement_confirmations" USING btree ("placement_id");--> statement-breakpoint
CREATE INDEX "placement_periods_placement_idx" ON "placement_periods" USING btree ("placement_id","from_date");--> statement-breakpoint
CREATE UNIQUE INDEX "placements_enrolment_task_key" ON "placements" USING btree ("enrolment_id","task_key");--> statement-breakpoint
CREATE INDEX "project_log_entries_enrolment_idx" ON "project_log_entries" USING btree ("enrolment_id","worked_on");