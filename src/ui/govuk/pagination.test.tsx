import { Pagination } from './pagination';
import { describeFixtures } from './fixtures';

describeFixtures('pagination', Pagination);
