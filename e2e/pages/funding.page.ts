import { NamedPage, PageObject } from './page-object';
import { StepPage } from './step.page';

/** /funding: the funding checker's start page. It asks nothing that names a person. */
export class FundingStartPage extends PageObject {
  protected readonly heading = 'Check if DfE will fund your NPQ';
  protected override readonly path = '/funding';

  async startNow(): Promise<StepPage> {
    await this.press('Start now');
    return new StepPage(this.page, 'When do you want to start?').verifyOnPage();
  }
}

/** /funding/check: the answers so far, each with a link to change it. */
export class FundingCheckAnswersPage extends PageObject {
  protected readonly heading = 'Check your answers';

  /** Presses "See the result" and lands on the answer, whatever it is. */
  async seeTheResult(result: string): Promise<FundingResultPage> {
    await this.press('See the result');
    return new FundingResultPage(this.page, result).verifyOnPage();
  }
}

/** The checker's answer: "DfE will fund your NPQ", or why not and what to do. */
export class FundingResultPage extends NamedPage {
  async changeYourAnswers(): Promise<FundingCheckAnswersPage> {
    await this.follow('Change your answers');
    return new FundingCheckAnswersPage(this.page).verifyOnPage();
  }
}
