CREATE TABLE "coach_allocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"coach_user_id" uuid NOT NULL,
	"allocated_by" uuid,
	"allocated_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "coach_allocations_kind_check" CHECK ("coach_allocations"."kind" in ('coach', 'tutor'))
);
--> statement-breakpoint
CREATE TABLE "coach_profiles" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"time_zone" text DEFAULT 'Europe/London' NOT NULL,
	"capacity" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coaching_bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slot_id" uuid NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"coach_user_id" uuid NOT NULL,
	"status" text NOT NULL,
	"booked_at" timestamp with time zone NOT NULL,
	"changed_at" timestamp with time zone,
	"held_minutes" integer,
	"private_notes" text DEFAULT '' NOT NULL,
	"agreed_actions" text DEFAULT '' NOT NULL,
	"calendar_uid" uuid NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "coaching_bookings_status_check" CHECK ("coaching_bookings"."status" in ('booked', 'cancelled', 'late_cancelled', 'rescheduled', 'held', 'missed', 'moved'))
);
--> statement-breakpoint
CREATE TABLE "coaching_settings" (
	"id" integer PRIMARY KEY NOT NULL,
	"notice_hours" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coaching_slots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"coach_user_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"minutes" integer NOT NULL,
	"mode" text NOT NULL,
	"join_url" text,
	"location" text,
	"series_id" uuid,
	"removed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coaching_slots_mode_check" CHECK ("coaching_slots"."mode" in ('online', 'in_person'))
);
--> statement-breakpoint
ALTER TABLE "coach_allocations" ADD CONSTRAINT "coach_allocations_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coach_allocations" ADD CONSTRAINT "coach_allocations_coach_user_id_users_id_fk" FOREIGN KEY ("coach_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coach_allocations" ADD CONSTRAINT "coach_allocations_allocated_by_users_id_fk" FOREIGN KEY ("allocated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coach_profiles" ADD CONSTRAINT "coach_profiles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_bookings" ADD CONSTRAINT "coaching_bookings_slot_id_coaching_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."coaching_slots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_bookings" ADD CONSTRAINT "coaching_bookings_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_bookings" ADD CONSTRAINT "coaching_bookings_coach_user_id_users_id_fk" FOREIGN KEY ("coach_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_slots" ADD CONSTRAINT "coaching_slots_coach_user_id_users_id_fk" FOREIGN KEY ("coach_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "coach_allocations_current_key" ON "coach_allocations" USING btree ("enrolment_id","kind") WHERE ended_at is null;--> statement-breakpoint
CREATE INDEX "coach_allocations_coach_idx" ON "coach_allocations" USING btree ("coach_user_id","kind") WHERE ended_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "coaching_bookings_slot_key" ON "coaching_bookings" USING btree ("slot_id") WHERE status in ('booked', 'held', 'missed');--> statement-breakpoint
CREATE INDEX "coaching_bookings_enrolment_idx" ON "coaching_bookings" USING btree ("enrolment_id");--> statement-breakpoint
CREATE INDEX "coaching_bookings_coach_idx" ON "coaching_bookings" USING btree ("coach_user_id","status");--> statement-breakpoint
CREATE INDEX "coaching_slots_coach_idx" ON "coaching_slots" USING btree ("coach_user_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "coaching_slots_coach_start_key" ON "coaching_slots" USING btree ("coach_user_id","starts_at") WHERE removed_at is null;