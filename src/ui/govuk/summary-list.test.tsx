import { SummaryList } from './summary-list';
import { describeFixtures } from './fixtures';

describeFixtures('summary-list', SummaryList);
