import { expect, type Page } from '@playwright/test';
import { NamedPage, PageObject } from './page-object';

/** /admin/catalogue: every NPQ, each with a link to edit it. */
export class AdminCataloguePage extends PageObject {
  protected readonly heading = 'Catalogue';
  protected override readonly path = '/admin/catalogue';

  /** Opens an NPQ to edit, by its short name; `name` is words of its full name, the edit page's h1. */
  async edit(shortName: string, name: RegExp): Promise<EditQualificationPage> {
    await this.follow(`${shortName} (edit)`);
    return new EditQualificationPage(this.page, name).verifyOnPage();
  }
}

/** An NPQ's edit page: its details, its components and its intakes. */
export class EditQualificationPage extends NamedPage {
  async save(): Promise<void> {
    await this.press('Save changes');
  }

  async expectSaved(): Promise<void> {
    await this.expectToSee('Changes saved.');
  }

  /** Follows an error summary's link to the field it names. */
  async followError(message: string): Promise<void> {
    await this.follow(message);
  }

  async addComponent(component: { kind: string; title: string; hours: string }, checkAccessible = false): Promise<void> {
    await this.press('Add a component');
    if (checkAccessible) await this.expectAccessible();
    await this.field('Kind').selectOption(component.kind);
    await this.field('Title').fill(component.title);
    await this.field('Guided learning hours').fill(component.hours);
    await this.press('Add component');
    await this.expectToSee('Component added.');
  }
}

/** /admin/audit: who did what, when. */
export class AuditLogPage extends PageObject {
  protected readonly heading = 'Audit log';

  override async open(entity?: string): Promise<this> {
    await this.page.goto(entity ? `/admin/audit?entity=${entity}` : '/admin/audit');
    return this;
  }

  /** A change of this kind is in the log, made by this person. */
  async expectEntry(action: string, by: RegExp): Promise<void> {
    await expect(this.page.getByRole('cell', { name: action }).first()).toBeVisible();
    await expect(this.page.getByRole('cell', { name: by }).first()).toBeVisible();
  }
}

/** /admin/users/new: the admin invites a member of staff by email. */
export class InviteSomeonePage extends PageObject {
  protected readonly heading = 'Invite someone';
  protected override readonly path = '/admin/users/new';

  /** Fills in what is given and presses "Send invitation". */
  async invite(person: { name?: string; email?: string; role?: string }): Promise<void> {
    if (person.name !== undefined) await this.field('Full name').fill(person.name);
    if (person.email !== undefined) await this.field('Email address').fill(person.email);
    if (person.role !== undefined) await this.field(person.role).check();
    await this.press('Send invitation');
  }
}

/** /admin/users: the people the signed-in person manages. */
export class UsersPage extends PageObject {
  protected readonly heading = 'Users';

  async expectListed(name: string, listed: boolean): Promise<void> {
    await expect(this.page.getByRole('link', { name })).toHaveCount(listed ? 1 : 0);
  }
}

/** /admin/gateway: gateway assessments waiting for a reviewer. */
export class GatewayQueuePage extends PageObject {
  protected readonly heading = 'Gateway assessments';
  protected override readonly path = '/admin/gateway';

  async review(applicant: string): Promise<GatewayReviewPage> {
    await this.follow(applicant);
    return new GatewayReviewPage(this.page, applicant).verifyOnPage();
  }
}

/** A reviewer scores one applicant's gateway answers and records a pass or a fail. */
export class GatewayReviewPage extends NamedPage {
  constructor(
    page: Page,
    readonly applicant: string,
  ) {
    super(page, `Gateway assessment: ${applicant}`);
  }

  async score(criterion: string, score: string): Promise<void> {
    await this.field(`${criterion} (0 to 4)`).selectOption(score);
  }

  /** Presses "Record the result"; with every score, a result and feedback given, a page asks to confirm it. */
  async recordTheResult(): Promise<void> {
    await this.press('Record the result');
  }

  async pass(feedback: string): Promise<void> {
    await this.field('Pass', true).check();
    await this.field('Feedback for the applicant').fill(feedback);
  }

  /** The page that says what will be recorded and emailed, before it is final. */
  async confirmPass(): Promise<void> {
    await new ConfirmGatewayResultPage(this.page, `Record a pass for ${this.applicant}?`).verifyOnPage();
    await this.expectAccessible();
    await this.press('Yes, record the pass');
    await this.expectToSee(`${this.applicant}: gateway passed`);
  }
}

class ConfirmGatewayResultPage extends NamedPage {}

/** /admin/applications: the inbox of applications to decide, with a search. */
export class ApplicationsInboxPage extends PageObject {
  protected readonly heading = 'Applications';
  protected override readonly path = '/admin/applications';

  /** Searches by name, email or TRN, and waits for the filtered list. */
  async search(query: string): Promise<void> {
    await this.field('Name, email or TRN').fill(query);
    await this.press('Filter');
    await this.page.waitForURL(new RegExp(`q=${query}`));
  }

  async openApplication(applicant: string): Promise<AdminApplicationPage> {
    await this.follow(applicant);
    return new AdminApplicationPage(this.page, applicant).verifyOnPage();
  }
}

/** One application as the provider decides it: headed by the applicant's name. */
export class AdminApplicationPage extends NamedPage {
  constructor(
    page: Page,
    readonly applicant: string,
  ) {
    super(page, new RegExp(applicant));
  }

  /** Presses "Reject application" (without a reason, the page asks for one). */
  async rejectApplication(): Promise<void> {
    await this.press('Reject application');
  }

  /** Accepts the application and sees it said: the applicant is emailed. */
  async acceptApplication(): Promise<void> {
    await this.press('Accept application');
    await this.expectToSee(`${this.applicant} is accepted. We have emailed them.`);
  }
}
