CREATE TABLE "risk_digests_sent" (
	"user_id" uuid NOT NULL,
	"week" text NOT NULL,
	"participants" integer NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "risk_digests_sent_user_id_week_pk" PRIMARY KEY("user_id","week")
);
--> statement-breakpoint
CREATE TABLE "risk_follow_ups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"acknowledged" jsonb NOT NULL,
	"recorded_by_user_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "risk_follow_ups_kind_check" CHECK ("risk_follow_ups"."kind" in ('called', 'emailed', 'met'))
);
--> statement-breakpoint
DROP INDEX "engagement_snapshots_intake_percent_idx";--> statement-breakpoint
ALTER TABLE "engagement_snapshots" ADD COLUMN "risk_signals" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "engagement_snapshots" ADD COLUMN "risk_score" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "engagement_snapshots" ADD COLUMN "at_risk" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "engagement_snapshots" ADD COLUMN "flagged_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "risk_digests_sent" ADD CONSTRAINT "risk_digests_sent_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_follow_ups" ADD CONSTRAINT "risk_follow_ups_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_follow_ups" ADD CONSTRAINT "risk_follow_ups_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "risk_follow_ups_place_idx" ON "risk_follow_ups" USING btree ("enrolment_id","recorded_at");--> statement-breakpoint
CREATE INDEX "engagement_snapshots_at_risk_idx" ON "engagement_snapshots" USING btree ("flagged_since") WHERE at_risk;--> statement-breakpoint
CREATE INDEX "engagement_snapshots_intake_percent_idx" ON "engagement_snapshots" USING btree ("intake_id","percent","below","at_risk");