CREATE TABLE "form_replays" (
	"id" uuid PRIMARY KEY NOT NULL,
	"path" text NOT NULL,
	"status" integer NOT NULL,
	"html" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "form_replays_expires_idx" ON "form_replays" USING btree ("expires_at");