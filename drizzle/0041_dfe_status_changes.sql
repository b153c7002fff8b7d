ALTER TABLE "dfe_changes" DROP CONSTRAINT "dfe_changes_kind_check";--> statement-breakpoint
DROP INDEX "dfe_changes_application_kind_key";--> statement-breakpoint
ALTER TABLE "dfe_changes" ADD COLUMN "change_key" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "dfe_changes_application_kind_key" ON "dfe_changes" USING btree ("application_id","kind","change_key");--> statement-breakpoint
ALTER TABLE "dfe_changes" ADD CONSTRAINT "dfe_changes_kind_check" CHECK ("dfe_changes"."kind" in ('accept', 'reject', 'defer', 'resume', 'withdraw'));