import QRCode from 'qrcode';
import { renderToString } from 'preact-render-to-string';
import { formatDate } from '../../platform/clock';

/** What a certificate shows (issue 12 item 6). `passedOn` is a UK date. */
export interface CertificateFacts {
  name: string;
  qualification: string;
  shortName: string;
  passedOn: string;
  code: string;
  verifyUrl: string;
  providerName: string;
}

/** The certificate as printed: the provider's name, the participant's, the NPQ, the date, the code and a QR code of the verification address. */
export async function certificateHtml(c: CertificateFacts): Promise<string> {
  const qr = await QRCode.toString(c.verifyUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return renderToString(
    <div class="app-certificate">
      <p class="govuk-body-l app-certificate__provider">{c.providerName}</p>
      <p class="govuk-body">This is to certify that</p>
      <p class="govuk-heading-xl">{c.name}</p>
      <p class="govuk-body">has been awarded the</p>
      <p class="govuk-heading-l">{`${c.qualification} (${c.shortName})`}</p>
      <p class="govuk-body">{`on ${formatDate(c.passedOn)}. A qualification accredited by the Department for Education.`}</p>
      <div class="app-certificate__check">
        {/* The QR code is our own SVG from a trusted library, not text anyone typed. */}
        <div class="app-certificate__qr" dangerouslySetInnerHTML={{ __html: qr }} />
        <p class="govuk-body-s">
          {`Certificate ${c.code}. Check it at `}
          <span class="app-nowrap">{c.verifyUrl}</span>
        </p>
      </div>
    </div>,
  );
}

