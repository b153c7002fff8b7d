CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"teacher_reference_number" text,
	"course_identifier" text NOT NULL,
	"cohort_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"eligible_for_funding" boolean DEFAULT false NOT NULL,
	"funding_status_code" text,
	"funded_place" boolean,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cohorts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"identifier" text NOT NULL,
	"start_year" integer NOT NULL,
	"suffix" text NOT NULL,
	"funding" text NOT NULL,
	"funded_place_limits" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reference_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"file_name" text,
	"total_rows" integer DEFAULT 0 NOT NULL,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"added" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"removed" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"rejections" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"actor_label" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reference_list_entries" (
	"list" text NOT NULL,
	"key" text NOT NULL,
	"label" text
);
--> statement-breakpoint
CREATE TABLE "schools" (
	"urn" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"la_code" text,
	"la_name" text,
	"establishment_number" text,
	"type_code" integer,
	"type_name" text,
	"status_code" integer,
	"status_name" text,
	"phase_code" integer,
	"phase_name" text,
	"close_date" date,
	"ukprn" text,
	"last_changed_date" date,
	"street" text,
	"locality" text,
	"town" text,
	"county" text,
	"postcode" text,
	"easting" integer,
	"northing" integer,
	"region" text,
	"country" text,
	"pupils" integer,
	"closed" boolean DEFAULT false NOT NULL,
	"imported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_cohort_id_cohorts_id_fk" FOREIGN KEY ("cohort_id") REFERENCES "public"."cohorts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "applications_trn_idx" ON "applications" USING btree ("teacher_reference_number","course_identifier");--> statement-breakpoint
CREATE INDEX "applications_status_idx" ON "applications" USING btree ("status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "cohorts_identifier_key" ON "cohorts" USING btree ("identifier");--> statement-breakpoint
CREATE INDEX "reference_imports_started_idx" ON "reference_imports" USING btree ("started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reference_list_entries_key" ON "reference_list_entries" USING btree ("list","key");--> statement-breakpoint
CREATE INDEX "schools_search_idx" ON "schools" USING gin (to_tsvector('simple', coalesce("name", '') || ' ' || coalesce("town", '') || ' ' || coalesce("postcode", '')));--> statement-breakpoint
CREATE INDEX "schools_postcode_idx" ON "schools" USING btree (upper(replace("postcode", ' ', '')));--> statement-breakpoint
CREATE INDEX "schools_ukprn_idx" ON "schools" USING btree ("ukprn");