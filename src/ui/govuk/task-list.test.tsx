import { TaskList } from './task-list';
import { describeFixtures } from './fixtures';

describeFixtures('task-list', TaskList);
