import { expect, type Page } from '@playwright/test';
import { NamedPage, PageObject } from './page-object';
import { StepPage } from './step.page';

/** The application's first page, reached from /apply?npq=<identifier>: the applicant's details. */
export async function applyFor(page: Page, identifier: string): Promise<StepPage> {
  await page.goto(`/apply?npq=${identifier}`);
  return new StepPage(page, 'Your details');
}

/** The last page of the application: every answer, and "Send application". */
export class CheckApplicationPage extends StepPage {
  constructor(page: Page) {
    super(page, 'Check your answers before sending your application');
  }

  /** Sends the application and lands on its page (headed by the NPQ's full name), which says it is sent. */
  async send(npqName: string): Promise<ApplicantApplicationPage> {
    await this.press('Send application');
    const sent = await new ApplicantApplicationPage(this.page, npqName).verifyOnPage();
    await expect(this.page.getByRole('heading', { name: 'Application sent' })).toBeVisible();
    return sent;
  }
}

/** The applicant's gateway questions: saved as they go, sent for review when all are answered. */
export class GatewayAnswersPage extends PageObject {
  protected readonly heading = 'Gateway assessment';

  async answer(question: string | RegExp, text: string): Promise<void> {
    await this.field(question).fill(text);
  }

  async sendForReview(): Promise<void> {
    await this.press('Send for review');
  }
}

/** /applications: the applicant's own applications, an unsent one first. */
export class YourApplicationsPage extends PageObject {
  protected readonly heading = 'Your applications';
  protected override readonly path = '/applications';

  async expectUnsentApplication(): Promise<void> {
    await expect(this.page.getByRole('button', { name: 'Continue your application' })).toBeVisible();
  }

  async deleteUnsentApplication(): Promise<void> {
    await this.press('Delete it');
    await this.expectToSee('Your unsent application has been deleted.');
  }

  /** Opens one application, by its NPQ's full name (the h1 of its page). */
  async openApplication(npqName: string): Promise<ApplicantApplicationPage> {
    await this.follow(npqName);
    return new ApplicantApplicationPage(this.page, npqName).verifyOnPage();
  }
}

/** /applications/<id>, as the applicant sees it: headed by the NPQ's full name. */
export class ApplicantApplicationPage extends NamedPage {
  async expectAPlace(): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'You have a place' })).toBeVisible();
  }

  async answerTheGatewayQuestions(): Promise<GatewayAnswersPage> {
    await this.press('Answer the gateway questions');
    return new GatewayAnswersPage(this.page).verifyOnPage();
  }
}

/** /school-approval/<key>: the line manager approves or declines from the emailed link, without an account. */
export class SchoolApprovalPage extends NamedPage {
  constructor(page: Page, applicant: string) {
    super(page, `Approve ${applicant}’s NPQ application`);
  }

  async openAt(link: string): Promise<this> {
    await this.page.goto(link);
    return this;
  }

  /** Declines and sends the answer (without a reason, the page asks for one). */
  async decline(): Promise<void> {
    await this.field('No, I decline it').check();
    await this.press('Send your answer');
  }

  async approve(comment: string): Promise<SchoolApprovedPage> {
    await this.field('Yes, I approve it for my school').check();
    await this.field('Comment for the applicant').fill(comment);
    await this.press('Send your answer');
    return new SchoolApprovedPage(this.page).verifyOnPage();
  }
}

export class SchoolApprovedPage extends PageObject {
  protected readonly heading = 'Thank you: your answer is recorded';
}
