import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { artifactsDir, chromiumExecutable } from './paths';
import { makeTempDir } from './temp-dirs';

export interface OpenTheiaOptions {
    /** Names the browser in screenshots and errors, e.g. `guest`. */
    readonly name: string;
    /** How long to wait for the app shell (ms). The first load after a build is slow. Default 120 000. */
    readonly readyTimeoutMs?: number;
    readonly viewport?: { readonly width: number; readonly height: number };
}

/** Generous default for UI conditions; tests wait for conditions, never for fixed times. */
export const UI_TIMEOUT_MS = 30_000;

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * One Chromium (its own fresh profile) showing one Theia app, with the
 * operations e2e tests need: run a command by its palette label, answer
 * quick inputs, wait for and act on notifications, take screenshots.
 */
export class TheiaPage {
    /** Uncaught page errors and console errors, newest last; included in the harness's timeout messages. */
    readonly pageErrors: string[] = [];

    private constructor(readonly name: string, readonly context: BrowserContext, readonly page: Page, private readonly removeProfile: () => void) {
        page.on('pageerror', error => this.pageErrors.push(`pageerror: ${error.message}`));
        page.on('console', message => {
            if (message.type() === 'error') {
                this.pageErrors.push(`console: ${message.text()}`);
            }
        });
    }

    /** Opens `url` in a fresh headless Chromium and waits until the Theia shell is usable. */
    static async open(url: string, options: OpenTheiaOptions): Promise<TheiaPage> {
        const profile = makeTempDir(`${options.name}-chromium`);
        const context = await chromium.launchPersistentContext(profile.path, {
            executablePath: chromiumExecutable(),
            headless: true,
            args: CHROMIUM_ARGS,
            viewport: options.viewport ?? { width: 1400, height: 900 }
        });
        try {
            await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
            const page = context.pages()[0] ?? await context.newPage();
            const theia = new TheiaPage(options.name, context, page, profile.remove);
            await theia.installNotificationRecorder();
            await page.goto(url);
            await theia.waitUntilReady(options.readyTimeoutMs ?? 120_000);
            return theia;
        } catch (error) {
            await context.close().catch(() => undefined);
            profile.remove();
            throw error;
        }
    }

    /**
     * `#theia-app-shell` exists and the preload screen is gone. A page that is
     * not ready after half the time is reloaded once (a bundle rebuilt while it
     * loaded never starts); the error then lists the page's errors.
     */
    async waitUntilReady(timeoutMs = 120_000): Promise<void> {
        const ready = async (timeout: number): Promise<void> => {
            await this.page.waitForSelector('#theia-app-shell', { timeout });
            await this.page.waitForSelector('.theia-preload', { state: 'detached', timeout });
        };
        try {
            await ready(timeoutMs / 2);
        } catch {
            await this.page.reload().catch(() => undefined);
            try {
                await ready(timeoutMs / 2);
            } catch (error) {
                throw new Error(`[${this.name}] Theia did not become usable within ${timeoutMs} ms (reloaded once). Page errors: `
                    + `${JSON.stringify(this.pageErrors.slice(-10))} (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
            }
        }
    }

    /** Closes the browser and deletes its profile. Idempotent. */
    async close(): Promise<void> {
        await this.context.close().catch(() => undefined);
        this.removeProfile();
    }

    // ---- commands and quick input -----------------------------------------------------------

    /**
     * Runs a command through the command palette by its full label as the
     * palette shows it, e.g. `Ensemble: Start Session` (exact match).
     */
    async runCommand(label: string, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
        await this.closeQuickInput();
        await this.page.locator('#theia-app-shell').click({ position: { x: 5, y: 5 }, force: true }).catch(() => undefined);
        await this.page.keyboard.press('F1');
        const input = this.quickInputBox();
        await input.waitFor({ state: 'visible', timeout: timeoutMs });
        await input.fill(`>${label}`);
        const row = this.page.locator('.quick-input-widget .monaco-list-row').filter({
            has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) })
        }).first();
        await row.waitFor({ state: 'visible', timeout: timeoutMs });
        await row.click();
    }

    /**
     * Opens a workspace file in an editor through Quick Open (Ctrl+P), by its
     * workspace-relative path, and waits for its editor tab.
     */
    async openFile(relativePath: string, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
        const base = relativePath.split('/').pop() ?? relativePath;
        await this.closeQuickInput();
        await this.page.locator('#theia-app-shell').click({ position: { x: 5, y: 5 }, force: true }).catch(() => undefined);
        await this.page.keyboard.press('Control+p');
        const input = this.quickInputBox();
        await input.waitFor({ state: 'visible', timeout: timeoutMs });
        const row = this.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: base }).first();
        // On a loaded machine a guest's first search right after joining can come back empty (the host's
        // workspace not yet mounted): search again, within the same time in all.
        const attempts = 3;
        for (let attempt = 1; ; attempt++) {
            await input.fill(relativePath);
            try {
                await row.waitFor({ state: 'visible', timeout: Math.round(timeoutMs / attempts) });
                break;
            } catch (error) {
                if (attempt === attempts) {
                    throw error;
                }
                await input.fill('');
            }
        }
        await row.click();
        await this.page.locator('#theia-main-content-panel .lm-TabBar-tab', { hasText: base }).first().waitFor({ state: 'visible', timeout: timeoutMs });
    }

    /** Types `text` into the open quick input (an input box or a pick's filter) and accepts it with Enter. */
    async answerQuickInput(text: string, options: { readonly expectTitle?: RegExp; readonly timeoutMs?: number } = {}): Promise<void> {
        const timeout = options.timeoutMs ?? UI_TIMEOUT_MS;
        if (options.expectTitle) {
            await this.page.locator('.quick-input-widget .quick-input-title', { hasText: options.expectTitle }).waitFor({ state: 'visible', timeout });
        }
        const input = this.quickInputBox();
        await input.waitFor({ state: 'visible', timeout });
        await input.fill(text);
        await input.press('Enter');
    }

    /** Picks the quick-pick item whose label contains `label`. */
    async pickQuickItem(label: string | RegExp, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
        const row = this.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: label }).first();
        await row.waitFor({ state: 'visible', timeout: timeoutMs });
        await row.click();
    }

    async closeQuickInput(): Promise<void> {
        if (await this.quickInputBox().isVisible().catch(() => false)) {
            await this.page.keyboard.press('Escape');
        }
    }

    private quickInputBox(): Locator {
        return this.page.locator('.quick-input-widget .quick-input-box input');
    }

    // ---- notifications ----------------------------------------------------------------------

    /**
     * Every notification text shown since the page loaded, in order (a
     * recorder in the page keeps them, so short-lived toasts are not missed).
     */
    async notificationTexts(): Promise<string[]> {
        return this.page.evaluate(() => [...((window as unknown as { __ensembleNotifications?: string[] }).__ensembleNotifications ?? [])]);
    }

    /** A mark to pass as `since` to `waitForNotification`, so that older notifications do not match. */
    async notificationMark(): Promise<number> {
        return (await this.notificationTexts()).length;
    }

    /** Waits until a notification whose text matches appears (after `since`) and returns its text. */
    async waitForNotification(pattern: RegExp | string, options: { readonly since?: number; readonly timeoutMs?: number } = {}): Promise<string> {
        const timeout = options.timeoutMs ?? UI_TIMEOUT_MS;
        const source = typeof pattern === 'string' ? escapeRegExp(pattern) : pattern.source;
        const flags = typeof pattern === 'string' ? '' : pattern.flags.replace('g', '');
        try {
            const handle = await this.page.waitForFunction(({ since, source: regexSource, flags: regexFlags }) => {
                const all = (window as unknown as { __ensembleNotifications?: string[] }).__ensembleNotifications ?? [];
                const regex = new RegExp(regexSource, regexFlags);
                return all.slice(since).find(text => regex.test(text));
            }, { since: options.since ?? 0, source, flags }, { timeout, polling: 100 });
            return await handle.jsonValue() as string;
        } catch (error) {
            const shown = (await this.notificationTexts().catch(() => [])).slice(options.since ?? 0);
            throw new Error(`[${this.name}] no notification matching ${String(pattern)} within ${timeout} ms; shown since the mark: ${JSON.stringify(shown)}`
                + ` (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
        }
    }

    /** The visible notification toast whose text matches. */
    notification(pattern: RegExp | string): Locator {
        return this.page.locator('.theia-notification-list-item').filter({ has: this.page.locator('.theia-notification-message', { hasText: pattern }) }).first();
    }

    /** Clicks an action button (e.g. `Accept`) of the visible notification whose text matches. */
    async clickNotificationAction(pattern: RegExp | string, action: string, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
        const button = this.notification(pattern).locator(`button.theia-button[data-action="${action}"]`);
        await button.waitFor({ state: 'visible', timeout: timeoutMs });
        await button.click();
    }

    // ---- status bar, views, screenshots -------------------------------------------------------

    /** The status-bar element registered with `id` (Theia renders it as `#status-bar-<id>`). */
    statusBarItem(id: string): Locator {
        return this.page.locator(`#status-bar-${id}`);
    }

    /** Waits until the status-bar element's text matches. */
    async waitForStatusBarText(id: string, pattern: RegExp, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
        await this.page.locator(`#status-bar-${id}`, { hasText: pattern }).waitFor({ state: 'visible', timeout: timeoutMs });
    }

    /** The widget with this id (a view in a side panel, an editor, ...). */
    widget(id: string): Locator {
        return this.page.locator(`#${id}`);
    }

    /**
     * Saves a PNG under `test-artifacts/<folder>/` named `<browser name>-<name>.png`
     * (of `target` only, when given) and returns its path.
     */
    async screenshot(name: string, options: { readonly target?: Locator; readonly folder?: string } = {}): Promise<string> {
        const dir = artifactsDir(options.folder ?? 'screenshots');
        mkdirSync(dir, { recursive: true });
        const file = path.join(dir, `${this.name}-${name}.png`);
        if (options.target) {
            await options.target.screenshot({ path: file });
        } else {
            await this.page.screenshot({ path: file });
        }
        return file;
    }

    /** Records the text of every notification the page shows, in `window.__ensembleNotifications`. */
    private async installNotificationRecorder(): Promise<void> {
        await this.page.addInitScript(() => {
            // Per element, the last text recorded: a notification whose text changes (progress) is recorded again.
            const lastText = new WeakMap<Element, string>();
            const texts: string[] = [];
            (window as unknown as { __ensembleNotifications: string[] }).__ensembleNotifications = texts;
            const scan = (): void => {
                document.querySelectorAll('.theia-notification-message').forEach(element => {
                    const text = (element.textContent ?? '').trim();
                    if (text && lastText.get(element) !== text) {
                        lastText.set(element, text);
                        texts.push(text);
                    }
                });
            };
            const start = (): void => {
                new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, characterData: true });
                scan();
            };
            if (document.body) {
                start();
            } else {
                document.addEventListener('DOMContentLoaded', start, { once: true });
            }
        });
    }
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
