/**
 * For tests: an application as the provider enters it (API or direct entry), in DfE's field names,
 * the school's approval already given, at Riverside Academy (on the PP50 list, so funded).
 */
export const anEnteredApplication = (fields: { email: string; teacher_reference_number: string; course_identifier: string; intake_id: string }, overrides: Record<string, unknown> = {}) => ({
  full_name: 'Ravi Patel',
  ...fields,
  works_in_england: true,
  work_setting: 'a_school',
  school_urn: '140002',
  employment_role: 'Assistant headteacher',
  line_manager_name: 'Jo Head',
  line_manager_email: 'jo.head@school.test',
  school_approved: true,
  ...overrides,
});
