import { ErrorSummary } from './error-summary';
import { describeFixtures } from './fixtures';

describeFixtures('error-summary', ErrorSummary);
