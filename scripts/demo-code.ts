// Prints the current two-factor code for the demo staff accounts.
import * as OTPAuth from 'otpauth';
import { DEMO_TOTP_SECRET } from '../src/demo/demo-data';

const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET), digits: 6, period: 30 });
console.log(totp.generate());
