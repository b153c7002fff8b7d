CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "applications_search_idx" ON "applications" USING gin (("full_name" || ' ' || "email") gin_trgm_ops);