import { NotificationBanner } from './notification-banner';
import { describeFixtures } from './fixtures';

describeFixtures('notification-banner', NotificationBanner);
