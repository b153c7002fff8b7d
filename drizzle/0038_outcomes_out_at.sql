-- When each outcome came out (issue 12 item 8): when it was recorded, or the start of its release's UK day if later.
ALTER TABLE "participant_outcomes" ADD COLUMN "out_at" timestamp with time zone;--> statement-breakpoint
UPDATE "participant_outcomes" SET "out_at" = "created_at";--> statement-breakpoint
UPDATE "participant_outcomes" o SET "out_at" = greatest(o."created_at", (r."releases_on"::timestamp AT TIME ZONE 'Europe/London')) FROM "result_releases" r WHERE r."id" = o."release_id";--> statement-breakpoint
ALTER TABLE "participant_outcomes" ALTER COLUMN "out_at" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "participant_outcomes_out_idx" ON "participant_outcomes" USING btree ("out_at","id");
