CREATE TABLE "reminders_sent" (
	"enrolment_id" uuid NOT NULL,
	"item_key" text NOT NULL,
	"kind" text NOT NULL,
	"about" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "reminders_sent_enrolment_id_item_key_kind_about_pk" PRIMARY KEY("enrolment_id","item_key","kind","about")
);
--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD COLUMN "calendar" text;--> statement-breakpoint
ALTER TABLE "reminders_sent" ADD CONSTRAINT "reminders_sent_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;