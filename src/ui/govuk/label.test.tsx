import { Label } from './label';
import { describeFixtures } from './fixtures';

describeFixtures('label', Label);
