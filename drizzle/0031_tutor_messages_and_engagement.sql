CREATE TABLE "support_message_reads" (
	"enrolment_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"read_at" timestamp with time zone NOT NULL,
	CONSTRAINT "support_message_reads_enrolment_id_user_id_pk" PRIMARY KEY("enrolment_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "support_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"author_user_id" uuid NOT NULL,
	"author_role" text NOT NULL,
	"body" text NOT NULL,
	"file_name" text,
	"file_type" text,
	"file_size" integer,
	"file_key" text,
	"file_sha256" text,
	"created_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "support_messages_author_role_check" CHECK ("support_messages"."author_role" in ('participant', 'tutor', 'facilitator'))
);
--> statement-breakpoint
CREATE TABLE "engagement_snapshots" (
	"enrolment_id" uuid PRIMARY KEY NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"full_name" text NOT NULL,
	"course_identifier" text NOT NULL,
	"cohort_id" uuid,
	"intake_id" uuid,
	"delivery_partner_id" uuid,
	"group_id" uuid,
	"group_name" text,
	"facilitator_user_id" uuid,
	"expected_minutes" integer NOT NULL,
	"counted_minutes" integer NOT NULL,
	"percent" integer,
	"threshold_percent" integer NOT NULL,
	"below" boolean NOT NULL,
	"components" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "qualifications" ADD COLUMN "engagement_threshold_percent" integer DEFAULT 90 NOT NULL;--> statement-breakpoint
ALTER TABLE "support_message_reads" ADD CONSTRAINT "support_message_reads_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_message_reads" ADD CONSTRAINT "support_message_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_messages" ADD CONSTRAINT "support_messages_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_messages" ADD CONSTRAINT "support_messages_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_snapshots" ADD CONSTRAINT "engagement_snapshots_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "support_messages_enrolment_idx" ON "support_messages" USING btree ("enrolment_id","seq");--> statement-breakpoint
CREATE INDEX "engagement_snapshots_intake_idx" ON "engagement_snapshots" USING btree ("intake_id","full_name");--> statement-breakpoint
CREATE INDEX "engagement_snapshots_intake_percent_idx" ON "engagement_snapshots" USING btree ("intake_id","percent","below");--> statement-breakpoint
CREATE INDEX "engagement_snapshots_cohort_idx" ON "engagement_snapshots" USING btree ("cohort_id","full_name");--> statement-breakpoint
CREATE INDEX "engagement_snapshots_partner_idx" ON "engagement_snapshots" USING btree ("delivery_partner_id","full_name");--> statement-breakpoint
CREATE INDEX "engagement_snapshots_facilitator_idx" ON "engagement_snapshots" USING btree ("facilitator_user_id");--> statement-breakpoint
CREATE INDEX "engagement_snapshots_name_idx" ON "engagement_snapshots" USING btree ("full_name","enrolment_id");