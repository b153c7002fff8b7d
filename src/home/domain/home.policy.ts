import type { Actor } from '../../platform/auth/actor';
import { isSignedIn } from '../../platform/auth/actor';
import { can } from '../../platform/auth/permissions';
import { apiTokenAbilities } from '../../api/domain/api-tokens.policy';
import { managesAssessment } from '../../assessment/domain/assessment.policy';
import { auditAbilities } from '../../audit/domain/audit.policy';
import { catalogueAbilities } from '../../catalogue/domain/catalogue.policy';
import { declarationScope, dfeAbilities, financeAbilities } from '../../dfe/domain/dfe.policy';
import { diagnosticAbilities } from '../../diagnostic/domain/diagnostic.policy';
import '../../enrolment/domain/enrolment.permissions';
import { outboxAbilities } from '../../mail/domain/outbox.policy';

/**
 * What someone's home page offers them (docs/adr/0028): the home page owns no records, so its policy
 * gathers the abilities each capability's own policy gives, and never decides them itself.
 */
export interface HomeAbilities {
  /** The home page itself: anyone signed in. */
  see: boolean;
  runDiagnostic: boolean;
  manageCatalogue: boolean;
  manageCohorts: boolean;
  manageReferenceData: boolean;
  readAudit: boolean;
  manageApiTokens: boolean;
  readOutbox: boolean;
  readDfe: boolean;
  readDeclarations: boolean;
  /** DfE's statements, expected against paid, the forecast: the admin and finance. */
  readFinance: boolean;
  /** Written accounts, allocation, moderation and results: the provider's assessment. */
  manageAssessment: boolean;
}

export function abilitiesFor(actor: Actor): HomeAbilities {
  return {
    see: isSignedIn(actor),
    runDiagnostic: diagnosticAbilities(actor).manage,
    manageCatalogue: catalogueAbilities(actor).manage,
    // Enrolment's own policy arrives with its reshaping; until then its permissions answer.
    manageCohorts: can(actor, 'cohorts:manage'),
    manageReferenceData: can(actor, 'reference:manage'),
    readAudit: auditAbilities(actor).read,
    manageApiTokens: apiTokenAbilities(actor).manage,
    readOutbox: outboxAbilities(actor).read,
    readDfe: dfeAbilities(actor).read,
    readDeclarations: declarationScope(actor) !== null,
    readFinance: financeAbilities(actor).read,
    manageAssessment: managesAssessment(actor),
  };
}
