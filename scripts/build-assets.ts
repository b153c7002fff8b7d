/**
 * Compiles govuk-frontend's Sass with the provider's branding from configuration (colour, system font
 * stack, no GDS Transport) and copies the browser assets to public/assets. Runs before start and tests.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { compileString } from 'sass';
import { loadConfig } from '../src/config';

const require = createRequire(import.meta.url);
const frontend = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');
const out = path.resolve('public/assets');
mkdirSync(out, { recursive: true });

const { branding } = loadConfig();
const source = `
@use "sass:color";
@use "govuk" as * with (
  $govuk-font-family: (system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif),
  $govuk-include-default-font-face: false,
  $govuk-assets-path: "/assets/",
  $govuk-functional-colours: (
    brand: ${branding.colour},
    template-background: color.mix(${branding.colour}, #ffffff, 8%)
  )
);
@use "app" as *;
`;
const started = Date.now();
const result = compileString(source, {
  loadPaths: [frontend, path.resolve('src/platform/assets')],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import'],
});
writeFileSync(path.join(out, 'app.css'), result.css);
copyFileSync(path.join(frontend, 'govuk/govuk-frontend.min.js'), path.join(out, 'govuk-frontend.min.js'));
for (const file of ['init.js', 'js-enabled.js', 'provider-logo.svg', 'compare.js', 'import-progress.js']) {
  copyFileSync(path.resolve('src/platform/assets', file), path.join(out, file));
}
console.log(`assets built in ${Date.now() - started} ms (brand colour ${branding.colour})`);
