ALTER TABLE "moderation_samples" ADD COLUMN "earlier_assessor_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;
