import { classOf, describeFixtures, textOf, withoutElements } from './fixtures';
import { Footer } from './footer';

/**
 * A lead provider is not government: the fixtures are compared without the Crown logo, the Open
 * Government Licence logo and default text, and the default Crown copyright link.
 */
describeFixtures(
  'footer',
  Footer,
  {
    'with custom HTML content licence and copyright notice':
      'copyright links to the Crown copyright page; ours links only where the provider gives an href',
    'with custom text content licence and copyright notice':
      'copyright links to the Crown copyright page; ours links only where the provider gives an href',
    'with HTML passed as text content':
      'copyright links to the Crown copyright page; ours links only where the provider gives an href',
  },
  (fixture) =>
    withoutElements(fixture.html, (el) => {
      const classes = classOf(el);
      if (classes.includes('govuk-footer__crown') || classes.includes('govuk-footer__licence-logo')) return true;
      if (classes.includes('govuk-footer__licence-description')) return textOf(el).includes('Open Government Licence v3.0');
      if (classes.includes('govuk-footer__meta-item') && !classes.includes('govuk-footer__meta-item--grow')) {
        return textOf(el).includes('© Crown copyright');
      }
      return false;
    }),
);
