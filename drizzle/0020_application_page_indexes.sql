DROP INDEX "applications_status_idx";--> statement-breakpoint
CREATE INDEX "applications_status_page_idx" ON "applications" USING btree ("status","created_at","id","course_identifier","eligible_for_funding");--> statement-breakpoint
CREATE INDEX "applications_course_status_page_idx" ON "applications" USING btree ("course_identifier","status","created_at","id","eligible_for_funding");--> statement-breakpoint
CREATE INDEX "applications_live_page_idx" ON "applications" USING btree ("created_at","id","course_identifier","eligible_for_funding") WHERE status <> 'draft';--> statement-breakpoint
CREATE INDEX "applications_live_course_page_idx" ON "applications" USING btree ("course_identifier","created_at","id","eligible_for_funding") WHERE status <> 'draft';--> statement-breakpoint
CREATE INDEX "applications_cohort_status_page_idx" ON "applications" USING btree ("cohort_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "applications_live_cohort_page_idx" ON "applications" USING btree ("cohort_id","created_at","id") WHERE status <> 'draft';