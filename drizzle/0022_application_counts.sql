CREATE TABLE "application_counts" (
	"status" text NOT NULL,
	"course_identifier" text NOT NULL,
	"cohort_id" uuid,
	"delivery_partner_id" uuid,
	"eligible_for_funding" boolean NOT NULL,
	"approval_status" text NOT NULL,
	"gateway_status" text NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "application_counts_key" UNIQUE NULLS NOT DISTINCT("status","course_identifier","cohort_id","delivery_partner_id","eligible_for_funding","approval_status","gateway_status")
);
--> statement-breakpoint
-- Hand-written (ADR 0038): the counts are kept by triggers, in the transaction of each change, and begin
-- from the applications there are now. `application_counts_add` adds `delta` to one combination's count.
CREATE FUNCTION application_counts_add(k_status text, k_course text, k_cohort uuid, k_partner uuid, k_funding boolean, k_approval text, k_gateway text, delta integer) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO application_counts AS c (status, course_identifier, cohort_id, delivery_partner_id, eligible_for_funding, approval_status, gateway_status, n)
  VALUES (k_status, k_course, k_cohort, k_partner, k_funding, k_approval, k_gateway, delta)
  ON CONFLICT ON CONSTRAINT application_counts_key DO UPDATE SET n = c.n + excluded.n
$$;
--> statement-breakpoint
-- One application moves from one combination to another. The two rows are always updated in the same
-- order (by their text), so two changes at once that touch the same two combinations wait for each
-- other instead of deadlocking.
CREATE FUNCTION application_counts_move(o_status text, o_course text, o_cohort uuid, o_partner uuid, o_funding boolean, o_approval text, o_gateway text,
  n_status text, n_course text, n_cohort uuid, n_partner uuid, n_funding boolean, n_approval text, n_gateway text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF (o_status, o_course, o_cohort, o_partner, o_funding, o_approval, o_gateway) IS NOT DISTINCT FROM (n_status, n_course, n_cohort, n_partner, n_funding, n_approval, n_gateway) THEN
    RETURN;
  END IF;
  IF concat_ws('|', o_status, o_course, o_cohort, o_partner, o_funding, o_approval, o_gateway) < concat_ws('|', n_status, n_course, n_cohort, n_partner, n_funding, n_approval, n_gateway) THEN
    PERFORM application_counts_add(o_status, o_course, o_cohort, o_partner, o_funding, o_approval, o_gateway, -1);
    PERFORM application_counts_add(n_status, n_course, n_cohort, n_partner, n_funding, n_approval, n_gateway, 1);
  ELSE
    PERFORM application_counts_add(n_status, n_course, n_cohort, n_partner, n_funding, n_approval, n_gateway, 1);
    PERFORM application_counts_add(o_status, o_course, o_cohort, o_partner, o_funding, o_approval, o_gateway, -1);
  END IF;
END $$;
--> statement-breakpoint
-- A change to an application: its school approval's and gateway's states are read as they are now.
-- Deletion is counted BEFORE the row goes, while its approval and gateway (deleted with it, by cascade)
-- are still there to say which combination it was in.
CREATE FUNCTION application_counts_of_application() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  app_id uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
  approval text := coalesce((SELECT status FROM school_approvals WHERE application_id = app_id), 'not_requested');
  gateway text := coalesce((SELECT status FROM gateway_assessments WHERE application_id = app_id), 'not_required');
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM application_counts_add(NEW.status, NEW.course_identifier, NEW.cohort_id, NEW.delivery_partner_id, NEW.eligible_for_funding, approval, gateway, 1);
    RETURN NEW;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM application_counts_add(OLD.status, OLD.course_identifier, OLD.cohort_id, OLD.delivery_partner_id, OLD.eligible_for_funding, approval, gateway, -1);
    RETURN OLD;
  END IF;
  PERFORM application_counts_move(OLD.status, OLD.course_identifier, OLD.cohort_id, OLD.delivery_partner_id, OLD.eligible_for_funding, approval, gateway,
    NEW.status, NEW.course_identifier, NEW.cohort_id, NEW.delivery_partner_id, NEW.eligible_for_funding, approval, gateway);
  RETURN NEW;
END $$;
--> statement-breakpoint
-- A change to an application's school approval or gateway. The application's row is locked first, so a
-- change to it at the same moment (which reads this state) waits for this one or this one for it: each
-- then sees the other's result and the counts stay exact. An application already gone (deleted with its
-- rows by cascade) was counted out by its own trigger.
CREATE FUNCTION application_counts_of_part() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  app_id uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.application_id ELSE NEW.application_id END;
  is_approval boolean := TG_TABLE_NAME = 'school_approvals';
  absent text := CASE WHEN TG_TABLE_NAME = 'school_approvals' THEN 'not_requested' ELSE 'not_required' END;
  before_status text := CASE WHEN TG_OP = 'INSERT' THEN absent ELSE OLD.status END;
  after_status text := CASE WHEN TG_OP = 'DELETE' THEN absent ELSE NEW.status END;
  a record;
  other text;
BEGIN
  IF before_status = after_status THEN
    RETURN NULL;
  END IF;
  SELECT status, course_identifier, cohort_id, delivery_partner_id, eligible_for_funding INTO a FROM applications WHERE id = app_id FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF is_approval THEN
    other := coalesce((SELECT status FROM gateway_assessments WHERE application_id = app_id), 'not_required');
    PERFORM application_counts_move(a.status, a.course_identifier, a.cohort_id, a.delivery_partner_id, a.eligible_for_funding, before_status, other,
      a.status, a.course_identifier, a.cohort_id, a.delivery_partner_id, a.eligible_for_funding, after_status, other);
  ELSE
    other := coalesce((SELECT status FROM school_approvals WHERE application_id = app_id), 'not_requested');
    PERFORM application_counts_move(a.status, a.course_identifier, a.cohort_id, a.delivery_partner_id, a.eligible_for_funding, other, before_status,
      a.status, a.course_identifier, a.cohort_id, a.delivery_partner_id, a.eligible_for_funding, other, after_status);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER application_counts_on_change AFTER INSERT OR UPDATE OF status, course_identifier, cohort_id, delivery_partner_id, eligible_for_funding ON applications
  FOR EACH ROW EXECUTE FUNCTION application_counts_of_application();
--> statement-breakpoint
CREATE TRIGGER application_counts_on_delete BEFORE DELETE ON applications
  FOR EACH ROW EXECUTE FUNCTION application_counts_of_application();
--> statement-breakpoint
CREATE TRIGGER application_counts_on_change AFTER INSERT OR UPDATE OF status OR DELETE ON school_approvals
  FOR EACH ROW EXECUTE FUNCTION application_counts_of_part();
--> statement-breakpoint
CREATE TRIGGER application_counts_on_change AFTER INSERT OR UPDATE OF status OR DELETE ON gateway_assessments
  FOR EACH ROW EXECUTE FUNCTION application_counts_of_part();
--> statement-breakpoint
INSERT INTO application_counts (status, course_identifier, cohort_id, delivery_partner_id, eligible_for_funding, approval_status, gateway_status, n)
SELECT a.status, a.course_identifier, a.cohort_id, a.delivery_partner_id, a.eligible_for_funding, coalesce(s.status, 'not_requested'), coalesce(g.status, 'not_required'), count(*)
FROM applications a
LEFT JOIN school_approvals s ON s.application_id = a.id
LEFT JOIN gateway_assessments g ON g.application_id = a.id
GROUP BY 1, 2, 3, 4, 5, 6, 7;
