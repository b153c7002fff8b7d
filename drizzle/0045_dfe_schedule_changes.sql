ALTER TABLE "dfe_changes" DROP CONSTRAINT "dfe_changes_kind_check";--> statement-breakpoint
ALTER TABLE "dfe_changes" ADD CONSTRAINT "dfe_changes_kind_check" CHECK ("dfe_changes"."kind" in ('accept', 'reject', 'defer', 'resume', 'withdraw', 'change_funded_place', 'change_schedule'));
