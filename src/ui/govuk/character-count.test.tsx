import { CharacterCount } from './character-count';
import { describeFixtures } from './fixtures';

// govuk-frontend's markup has no maxlength unless asked: ours adds the boundary's by default.
describeFixtures('character-count', (p: Parameters<typeof CharacterCount>[0]) => CharacterCount({ ...p, hardMaxlength: false }));
