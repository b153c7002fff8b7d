CREATE TABLE "reflections" (
	"enrolment_id" uuid NOT NULL,
	"activity_key" text NOT NULL,
	"text" text NOT NULL,
	"written_at" timestamp with time zone NOT NULL,
	CONSTRAINT "reflections_enrolment_id_activity_key_pk" PRIMARY KEY("enrolment_id","activity_key")
);
--> statement-breakpoint
ALTER TABLE "reflections" ADD CONSTRAINT "reflections_enrolment_id_applications_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;