/**
 * Compiles govuk-frontend's Sass with the provider's branding from configuration (colour, system font
 * stack, no GDS Transport) and copies the browser assets to public/assets. Runs before start and tests;
 * skipped when nothing it reads changed since the last build (a hash stamp; `--force` builds anyway).
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { buildOnce, hashOf, sourceFiles } from './build-stamp.ts';

const require = createRequire(import.meta.url);
const frontendPackage = require.resolve('govuk-frontend/package.json');
const frontend = path.join(path.dirname(frontendPackage), 'dist');
const out = path.resolve('public/assets');
const ownAssets = path.resolve('src/platform/assets');
const COPIED = ['init.js', 'js-enabled.js', 'provider-logo.svg', 'compare.js', 'import-progress.js'];

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

mkdirSync(out, { recursive: true });
const started = Date.now();
// What the output depends on: our own assets, govuk-frontend's version, this script and the brand colour.
const hash = hashOf([...sourceFiles([ownAssets]), frontendPackage, path.resolve('scripts/build-assets.ts')], source);
const built = await buildOnce(
  path.join(out, '.build-stamp'),
  hash,
  async () => {
    // Loaded only to build: Sass takes longer to load than the check takes to run.
    const { compileString } = await import('sass');
    const result = compileString(source, { loadPaths: [frontend, ownAssets], style: 'compressed', quietDeps: true, silenceDeprecations: ['import'] });
    writeFileSync(path.join(out, 'app.css'), result.css);
    copyFileSync(path.join(frontend, 'govuk/govuk-frontend.min.js'), path.join(out, 'govuk-frontend.min.js'));
    for (const file of COPIED) copyFileSync(path.join(ownAssets, file), path.join(out, file));
  },
  process.argv.includes('--force'),
);
console.log(built ? `assets built in ${Date.now() - started} ms (brand colour ${branding.colour})` : `assets up to date (checked in ${Date.now() - started} ms)`);
