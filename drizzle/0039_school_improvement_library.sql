CREATE TABLE "library_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"task_key" text NOT NULL,
	"course_identifier" text NOT NULL,
	"state" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"impact" text NOT NULL,
	"phase" text NOT NULL,
	"themes" text[] NOT NULL,
	"school_name" text,
	"consented_at" timestamp with time zone NOT NULL,
	"review_note" text,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "library_entries_state_check" CHECK ("library_entries"."state" in ('in_review', 'published', 'returned', 'withdrawn')),
	CONSTRAINT "library_entries_phase_check" CHECK ("library_entries"."phase" in ('early_years', 'primary', 'secondary', 'all_through', 'special', 'alternative_provision', 'post_16', 'several'))
);
--> statement-breakpoint
ALTER TABLE "library_entries" ADD CONSTRAINT "library_entries_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_entries" ADD CONSTRAINT "library_entries_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "library_entries_place_task_key" ON "library_entries" USING btree ("enrolment_id","task_key");--> statement-breakpoint
CREATE INDEX "library_entries_state_idx" ON "library_entries" USING btree ("state","published_at");--> statement-breakpoint
CREATE INDEX "library_entries_search_idx" ON "library_entries" USING gin (to_tsvector('english', "title" || ' ' || "summary" || ' ' || "impact"));