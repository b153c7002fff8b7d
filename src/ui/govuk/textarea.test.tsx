import { Textarea } from './textarea';
import { describeFixtures } from './fixtures';

// govuk-frontend's markup has no maxlength unless asked: ours adds the boundary's by default.
describeFixtures('textarea', (p: Parameters<typeof Textarea>[0]) => Textarea({ ...p, maxlength: false }));
