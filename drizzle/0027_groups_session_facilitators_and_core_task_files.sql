CREATE TABLE "group_members" (
	"enrolment_id" uuid PRIMARY KEY NOT NULL,
	"group_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intake_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"intake_id" uuid NOT NULL,
	"name" text NOT NULL,
	"facilitator_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "core_task_attempts" ADD COLUMN "file_name" text;--> statement-breakpoint
ALTER TABLE "core_task_attempts" ADD COLUMN "file_type" text;--> statement-breakpoint
ALTER TABLE "core_task_attempts" ADD COLUMN "file_size" integer;--> statement-breakpoint
ALTER TABLE "core_task_attempts" ADD COLUMN "file_key" text;--> statement-breakpoint
ALTER TABLE "discussion_posts" ADD COLUMN "group_id" uuid;--> statement-breakpoint
ALTER TABLE "plan_entries" ADD COLUMN "facilitator_user_id" uuid;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_group_id_intake_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."intake_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_groups" ADD CONSTRAINT "intake_groups_intake_id_intakes_id_fk" FOREIGN KEY ("intake_id") REFERENCES "public"."intakes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_groups" ADD CONSTRAINT "intake_groups_facilitator_user_id_users_id_fk" FOREIGN KEY ("facilitator_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "intake_groups_intake_name_key" ON "intake_groups" USING btree ("intake_id","name");--> statement-breakpoint
ALTER TABLE "plan_entries" ADD CONSTRAINT "plan_entries_facilitator_user_id_users_id_fk" FOREIGN KEY ("facilitator_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;