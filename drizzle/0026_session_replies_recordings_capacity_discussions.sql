CREATE TABLE "discussion_posts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"intake_id" uuid NOT NULL,
	"module_key" text NOT NULL,
	"reply_to" uuid,
	"author_user_id" uuid NOT NULL,
	"author_name" text NOT NULL,
	"by_staff" boolean NOT NULL,
	"body" text NOT NULL,
	"pinned" boolean DEFAULT false NOT NULL,
	"hidden_at" timestamp with time zone,
	"hidden_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session_replies" (
	"intake_id" uuid NOT NULL,
	"item_key" text NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"reply" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"replied_at" timestamp with time zone NOT NULL,
	CONSTRAINT "session_replies_intake_id_item_key_enrolment_id_pk" PRIMARY KEY("intake_id","item_key","enrolment_id"),
	CONSTRAINT "session_replies_reply_check" CHECK ("session_replies"."reply" in ('attending', 'cannot_attend'))
);
--> statement-breakpoint
ALTER TABLE "venues" ADD COLUMN "capacity" integer;--> statement-breakpoint
ALTER TABLE "plan_entries" ADD COLUMN "recording_url" text;--> statement-breakpoint
ALTER TABLE "discussion_posts" ADD CONSTRAINT "discussion_posts_intake_id_intakes_id_fk" FOREIGN KEY ("intake_id") REFERENCES "public"."intakes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discussion_posts" ADD CONSTRAINT "discussion_posts_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discussion_posts" ADD CONSTRAINT "discussion_posts_hidden_by_users_id_fk" FOREIGN KEY ("hidden_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_replies" ADD CONSTRAINT "session_replies_intake_id_intakes_id_fk" FOREIGN KEY ("intake_id") REFERENCES "public"."intakes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_replies" ADD CONSTRAINT "session_replies_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "discussion_posts_module_idx" ON "discussion_posts" USING btree ("intake_id","module_key","created_at");--> statement-breakpoint
CREATE INDEX "session_replies_enrolment_idx" ON "session_replies" USING btree ("enrolment_id");