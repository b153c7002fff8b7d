import { Table } from './table';
import { describeFixtures } from './fixtures';

describeFixtures('table', Table);
