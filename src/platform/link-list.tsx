/** A plain GOV.UK list of links, each `[href, text]`: the ways on from a page. */
export function LinkList({ links }: { links: readonly (readonly [href: string, text: string])[] }) {
  return (
    <ul class="govuk-list">
      {links.map(([href, text]) => (
        <li>
          <a class="govuk-link" href={href}>
            {text}
          </a>
        </li>
      ))}
    </ul>
  );
}
