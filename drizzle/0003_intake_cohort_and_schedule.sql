ALTER TABLE "intakes" ADD COLUMN "waiting_list" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "intakes" ADD COLUMN "cohort_identifier" text;--> statement-breakpoint
ALTER TABLE "intakes" ADD COLUMN "schedule" text;