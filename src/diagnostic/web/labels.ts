/** A round's kind and state as people read them, on the participant's pages and the admin's alike. */
export const KIND_LABELS: Record<string, string> = { start: 'Start of the programme', end: 'End of the programme' };
export const STATE_TAGS: Record<string, { text: string; classes: string }> = {
  not_open: { text: 'Not open yet', classes: 'govuk-tag--grey' },
  open: { text: 'Open', classes: 'govuk-tag--green' },
  closed: { text: 'Closed', classes: 'govuk-tag--blue' },
};
