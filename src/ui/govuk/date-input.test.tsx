import { DateInput } from './date-input';
import { describeFixtures } from './fixtures';

// govuk-frontend's markup has no maxlength unless asked: ours adds the boundary's by default.
describeFixtures('date-input', (p: Parameters<typeof DateInput>[0]) => DateInput({ ...p, maxlength: false }));
