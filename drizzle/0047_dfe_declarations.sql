CREATE TABLE "dfe_declaration_settings" (
	"id" text PRIMARY KEY DEFAULT 'provider' NOT NULL,
	"retained1_activities" integer NOT NULL,
	"retained2_activities" integer NOT NULL,
	"send_automatically" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dfe_declarations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"declaration_type" text NOT NULL,
	"declaration_date" timestamp with time zone NOT NULL,
	"evidence" jsonb NOT NULL,
	"has_passed" boolean,
	"state" text DEFAULT 'proposed' NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"dfe_declaration_id" text,
	"dfe_state" text,
	"dfe_statement_id" text,
	"dfe_clawback_statement_id" text,
	"dfe_updated_at" timestamp with time zone,
	"void_requested_at" timestamp with time zone,
	"voided_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"answer" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dfe_declarations_type_check" CHECK ("dfe_declarations"."declaration_type" in ('started', 'retained-1', 'retained-2', 'completed')),
	CONSTRAINT "dfe_declarations_state_check" CHECK ("dfe_declarations"."state" in ('proposed', 'approved', 'sent', 'refused', 'dismissed'))
);
--> statement-breakpoint
CREATE TABLE "dfe_statements" (
	"dfe_statement_id" text PRIMARY KEY NOT NULL,
	"cohort" text NOT NULL,
	"month" text NOT NULL,
	"year" text NOT NULL,
	"cut_off_date" date NOT NULL,
	"payment_date" date NOT NULL,
	"paid" boolean NOT NULL,
	"dfe_updated_at" timestamp with time zone,
	"seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "delivery_partners" ADD COLUMN "dfe_delivery_partner_id" text;--> statement-breakpoint
ALTER TABLE "dfe_changes" ADD COLUMN "dismissed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dfe_declarations" ADD CONSTRAINT "dfe_declarations_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dfe_declarations" ADD CONSTRAINT "dfe_declarations_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dfe_declarations_live_key" ON "dfe_declarations" USING btree ("application_id","declaration_type") WHERE voided_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "dfe_declarations_dfe_id_key" ON "dfe_declarations" USING btree ("dfe_declaration_id");--> statement-breakpoint
CREATE INDEX "dfe_declarations_state_idx" ON "dfe_declarations" USING btree ("state","created_at");--> statement-breakpoint
ALTER TABLE "delivery_partners" ADD CONSTRAINT "delivery_partners_dfe_delivery_partner_id_unique" UNIQUE("dfe_delivery_partner_id");