import { ErrorMessage } from './error-message';
import { describeFixtures } from './fixtures';

describeFixtures('error-message', ErrorMessage);
