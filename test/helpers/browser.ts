/**
 * Where the console's browser tests find Chromium or Chrome: CHROMIUM_PATH,
 * else the places package managers commonly put it. None found fails with one
 * line saying how to install one (the tests never skip for it).
 */
import { accessSync, constants } from "node:fs";

const COMMON = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/snap/bin/chromium",
  "/opt/google/chrome/chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

const runnable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export function findChromium(env: NodeJS.ProcessEnv = process.env, candidates = COMMON): string {
  if (env.CHROMIUM_PATH) {
    if (runnable(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH;
    throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} is not a program that can be run`);
  }
  const found = candidates.find(runnable);
  if (found) return found;
  throw new Error(
    "No Chromium or Chrome for the console's browser tests: install one (Debian/Ubuntu: sudo apt install chromium; macOS: brew install --cask chromium) or set CHROMIUM_PATH",
  );
}
