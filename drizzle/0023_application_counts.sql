CREATE TABLE "application_counts" (
	"status" text NOT NULL,
	"course_identifier" text NOT NULL,
	"cohort_id" uuid,
	"eligible_for_funding" boolean NOT NULL,
	"approval_status" text NOT NULL,
	"gateway_status" text NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "application_counts_key" UNIQUE NULLS NOT DISTINCT("status","course_identifier","cohort_id","eligible_for_funding","approval_status","gateway_status")
);
--> statement-breakpoint
-- Hand-written (ADR 0038; the delivery partner left out at the merge with ADR 0036, where it stopped being a column of applications): the counts are kept by triggers, in the transaction of each change, and begin
-- from the applications there are now. The triggers run once per statement over its changed rows (a
-- bulk insert of 100,000 applications costs one grouped upsert, not 100,000), and upsert the
-- combinations in one order, so two changes at once that touch the same combinations wait for each
-- other instead of deadlocking.
--
-- Applications inserted: counted in their combination, their approval and gateway as they are now.
CREATE FUNCTION application_counts_of_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO application_counts AS c (status, course_identifier, cohort_id, eligible_for_funding, approval_status, gateway_status, n)
  SELECT r.status, r.course_identifier, r.cohort_id, r.eligible_for_funding, coalesce(s.status, 'not_requested'), coalesce(g.status, 'not_required'), count(*)
  FROM new_rows r
  LEFT JOIN school_approvals s ON s.application_id = r.id
  LEFT JOIN gateway_assessments g ON g.application_id = r.id
  GROUP BY 1, 2, 3, 4, 5, 6
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ON CONSTRAINT application_counts_key DO UPDATE SET n = c.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Applications updated: out of their old combination, into their new one; nothing when no filtered column changed.
CREATE FUNCTION application_counts_of_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO application_counts AS c (status, course_identifier, cohort_id, eligible_for_funding, approval_status, gateway_status, n)
  SELECT r.status, r.course_identifier, r.cohort_id, r.eligible_for_funding, coalesce(s.status, 'not_requested'), coalesce(g.status, 'not_required'), sum(r.d)
  FROM (
    SELECT id, status, course_identifier, cohort_id, eligible_for_funding, -1 AS d FROM old_rows
    UNION ALL
    SELECT id, status, course_identifier, cohort_id, eligible_for_funding, 1 FROM new_rows
  ) r
  LEFT JOIN school_approvals s ON s.application_id = r.id
  LEFT JOIN gateway_assessments g ON g.application_id = r.id
  GROUP BY 1, 2, 3, 4, 5, 6
  HAVING sum(r.d) <> 0
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ON CONSTRAINT application_counts_key DO UPDATE SET n = c.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- An application deleted: counted out BEFORE the row goes, while its approval and gateway (deleted with
-- it, by cascade) are still there to say which combination it was in. Only drafts are deleted.
CREATE FUNCTION application_counts_of_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO application_counts AS c (status, course_identifier, cohort_id, eligible_for_funding, approval_status, gateway_status, n)
  VALUES (OLD.status, OLD.course_identifier, OLD.cohort_id, OLD.eligible_for_funding,
    coalesce((SELECT status FROM school_approvals WHERE application_id = OLD.id), 'not_requested'),
    coalesce((SELECT status FROM gateway_assessments WHERE application_id = OLD.id), 'not_required'), -1)
  ON CONFLICT ON CONSTRAINT application_counts_key DO UPDATE SET n = c.n + excluded.n;
  RETURN OLD;
END $$;
--> statement-breakpoint
-- School approvals or gateway assessments inserted, updated or deleted: each application whose state
-- changed moves from its combination with the old state to the one with the new (`not_requested` /
-- `not_required` for no row). The applications' rows are locked first, in one order, so a change to one
-- of them at the same moment (which reads this state) waits for this one or this one for it, and the
-- counts are then read in a statement of their own that sees the other's result: the counts stay exact.
-- An application already gone (deleted with its rows by cascade) was counted out by its own trigger.
CREATE FUNCTION application_counts_of_part() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  is_approval boolean := TG_TABLE_NAME = 'school_approvals';
  absent text := CASE WHEN TG_TABLE_NAME = 'school_approvals' THEN 'not_requested' ELSE 'not_required' END;
  ids uuid[];
  befores text[];
  afters text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(application_id), array_agg(absent), array_agg(status) INTO ids, befores, afters FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(application_id), array_agg(status), array_agg(absent) INTO ids, befores, afters FROM old_rows;
  ELSE
    SELECT array_agg(o.application_id), array_agg(o.status), array_agg(n.status) INTO ids, befores, afters
    FROM old_rows o JOIN new_rows n ON n.application_id = o.application_id WHERE o.status IS DISTINCT FROM n.status;
  END IF;
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM applications WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
  INSERT INTO application_counts AS c (status, course_identifier, cohort_id, eligible_for_funding, approval_status, gateway_status, n)
  SELECT a.status, a.course_identifier, a.cohort_id, a.eligible_for_funding,
    CASE WHEN is_approval THEN ch.state ELSE coalesce(s.status, 'not_requested') END,
    CASE WHEN is_approval THEN coalesce(g.status, 'not_required') ELSE ch.state END,
    sum(ch.d)
  FROM (
    SELECT u.id, u.before AS state, -1 AS d FROM unnest(ids, befores, afters) AS u(id, before, after)
    UNION ALL
    SELECT u.id, u.after, 1 FROM unnest(ids, befores, afters) AS u(id, before, after)
  ) ch
  JOIN applications a ON a.id = ch.id
  LEFT JOIN school_approvals s ON s.application_id = a.id
  LEFT JOIN gateway_assessments g ON g.application_id = a.id
  GROUP BY 1, 2, 3, 4, 5, 6
  HAVING sum(ch.d) <> 0
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ON CONSTRAINT application_counts_key DO UPDATE SET n = c.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER application_counts_on_insert AFTER INSERT ON applications REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION application_counts_of_inserted();
--> statement-breakpoint
CREATE TRIGGER application_counts_on_update AFTER UPDATE ON applications REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION application_counts_of_updated();
--> statement-breakpoint
CREATE TRIGGER application_counts_on_delete BEFORE DELETE ON applications
  FOR EACH ROW EXECUTE FUNCTION application_counts_of_deleted();
--> statement-breakpoint
CREATE TRIGGER application_counts_on_insert AFTER INSERT ON school_approvals REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION application_counts_of_part();
--> statement-breakpoint
CREATE TRIGGER application_counts_on_update AFTER UPDATE ON school_approvals REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION application_counts_of_part();
--> statement-breakpoint
CREATE TRIGGER application_counts_on_delete AFTER DELETE ON school_approvals REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION application_counts_of_part();
--> statement-breakpoint
CREATE TRIGGER application_counts_on_insert AFTER INSERT ON gateway_assessments REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION application_counts_of_part();
--> statement-breakpoint
CREATE TRIGGER application_counts_on_update AFTER UPDATE ON gateway_assessments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION application_counts_of_part();
--> statement-breakpoint
CREATE TRIGGER application_counts_on_delete AFTER DELETE ON gateway_assessments REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION application_counts_of_part();
--> statement-breakpoint
INSERT INTO application_counts (status, course_identifier, cohort_id, eligible_for_funding, approval_status, gateway_status, n)
SELECT a.status, a.course_identifier, a.cohort_id, a.eligible_for_funding, coalesce(s.status, 'not_requested'), coalesce(g.status, 'not_required'), count(*)
FROM applications a
LEFT JOIN school_approvals s ON s.application_id = a.id
LEFT JOIN gateway_assessments g ON g.application_id = a.id
GROUP BY 1, 2, 3, 4, 5, 6;
