import { FileUpload } from './file-upload';
import { describeFixtures } from './fixtures';

describeFixtures('file-upload', FileUpload);
