import { Details } from './details';
import { describeFixtures } from './fixtures';

describeFixtures('details', Details);
