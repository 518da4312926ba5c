import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root: the nearest folder above this file whose package.json declares workspaces. */
export function repoRoot(): string {
    let dir = __dirname;
    while (dir !== path.dirname(dir)) {
        const manifest = path.join(dir, 'package.json');
        if (existsSync(manifest) && 'workspaces' in (JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>)) {
            return dir;
        }
        dir = path.dirname(dir);
    }
    throw new Error(`No package.json with "workspaces" above ${__dirname}; run the e2e tests from inside the Ensemble repository.`);
}

/** `test-artifacts/` at the repository root (gitignored), created on demand; screenshots and app logs go here. */
export function artifactsDir(...sub: string[]): string {
    const dir = path.join(repoRoot(), 'test-artifacts', ...sub);
    mkdirSync(dir, { recursive: true });
    return dir;
}

/** The built browser app's backend entry point; fails with what to run when the app is not built. */
export function browserAppMain(): string {
    const main = path.join(repoRoot(), 'browser-app', 'lib', 'backend', 'main.js');
    const frontend = path.join(repoRoot(), 'browser-app', 'lib', 'frontend', 'index.html');
    if (!existsSync(main) || !existsSync(frontend)) {
        throw new Error(`The browser app is not built (${main} or ${frontend} is missing): run "npm run build" at the repository root first.`);
    }
    return main;
}

/** Debian's chromium by default; ENSEMBLE_CHROMIUM overrides it. */
export function chromiumExecutable(): string {
    const executable = process.env.ENSEMBLE_CHROMIUM ?? '/usr/bin/chromium';
    if (!existsSync(executable)) {
        throw new Error(`No Chromium at ${executable}: install it (apt-get install chromium) or set ENSEMBLE_CHROMIUM to a Chromium binary.`);
    }
    return executable;
}
