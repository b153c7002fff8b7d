CREATE TABLE "expressions_of_interest" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"course_identifier" text NOT NULL,
	"start_preference" text NOT NULL,
	"role" text DEFAULT '' NOT NULL,
	"school_name" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"invited_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "expressions_of_interest_person_course_key" ON "expressions_of_interest" USING btree ("email","course_identifier");--> statement-breakpoint
CREATE INDEX "expressions_of_interest_course_idx" ON "expressions_of_interest" USING btree ("course_identifier","created_at");