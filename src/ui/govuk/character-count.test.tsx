import { CharacterCount } from './character-count';
import { describeFixtures } from './fixtures';

describeFixtures('character-count', CharacterCount);
