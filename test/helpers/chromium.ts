import { existsSync } from 'node:fs';

/** Where the tests look for Chromium (Debian's package; `.ci/run` installs it when missing). */
export const CHROMIUM_PATH = process.env.SWITCHYARD_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];

/**
 * True when Chromium is installed. Under CI=true a missing Chromium throws (the browser tests
 * must run there); elsewhere the caller skips with a message.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true')
    throw new Error(
      `Chromium is required under CI=true for the dashboard tests, and ${CHROMIUM_PATH} is missing (apt-get install -y chromium).`,
    );
  console.warn(
    `Skipping the browser tests: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set SWITCHYARD_CHROMIUM).`,
  );
  return false;
}
