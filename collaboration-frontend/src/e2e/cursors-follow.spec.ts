import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import type { CursorsDiagnostics } from '../browser/cursors/cursors-diagnostics';
import type { EditorSyncDiagnostics } from '../browser/editor-sync/editor-sync-diagnostics';
import { artifactsDir, Cleanup, makeTempWorkspace, startTheiaApp, TheiaPage, UI_TIMEOUT_MS } from './harness';

/**
 * Remote cursors and follow mode end to end: a host and one guest, each a
 * browser app in its own headless Chromium. The guest sees the host's caret
 * and selection in the host's colour (and keeps it on the same text while it
 * types before it); following the host takes the guest to the host's file
 * and line, and typing stops following.
 */
describe('e2e: remote cursors and follow mode (host + guest)', function (): void {
    this.timeout(300_000);

    const STATUS = 'ensemble-session';
    const FILE = 'notes.txt';
    const SECOND = 'second.txt';
    const LEADER_LINE = 45;
    const cleanup = new Cleanup();
    let host: TheiaPage;
    let ana: TheiaPage;

    before(async function (): Promise<void> {
        this.timeout(300_000);
        const secondText = Array.from({ length: 60 }, (_, i) => `second file line ${i + 1}`).join('\n') + '\n';
        const hostFiles = makeTempWorkspace('cursors-ws', { [FILE]: 'Shared notes\nsecond line here\nthird line\n', [SECOND]: secondText });
        cleanup.add('host workspace', () => hostFiles.remove());
        const guestFiles = makeTempWorkspace('cursors-ana');
        cleanup.add('guest workspace', () => guestFiles.remove());
        const [hostApp, anaApp] = await Promise.all([
            startTheiaApp({ name: 'cursors-host', workspace: hostFiles.path, settings: { 'collaboration.displayName': 'Hana', 'collaboration.autoAccept': 'read-write' } }),
            startTheiaApp({ name: 'cursors-ana', workspace: guestFiles.path, settings: { 'collaboration.displayName': 'Ana' } })
        ]);
        cleanup.add('host app', () => hostApp.stop());
        cleanup.add('ana app', () => anaApp.stop());
        host = await TheiaPage.open(hostApp.url, { name: 'cursors-host' });
        cleanup.add('host browser', () => host.close());
        ana = await TheiaPage.open(anaApp.url, { name: 'cursors-ana' });
        cleanup.add('ana browser', () => ana.close());

        const mark = await host.notificationMark();
        await host.runCommand('Ensemble: Start Session');
        const text = await host.waitForNotification(/Session started/, { since: mark });
        const link = /(http:\/\/127\.0\.0\.1:\d+\/invite\/[A-Z0-9-]+)/.exec(text)?.[1];
        assert.ok(link, `an invite link in: ${text}`);
        await ana.runCommand('Ensemble: Join Session');
        await ana.answerQuickInput(link, { expectTitle: /Join Session/ });
        await ana.waitForStatusBarText(STATUS, /^\s*Joined\s*$/);
        for (const page of [host, ana]) {
            await page.openFile(FILE);
            await editorOf(page).locator('.view-lines', { hasText: 'Shared notes' }).waitFor({ timeout: UI_TIMEOUT_MS });
        }
        await eventually(async () => (await host.page.evaluate(() =>
            (globalThis as unknown as { ensembleEditorSync?: EditorSyncDiagnostics }).ensembleEditorSync?.documents() ?? [])).some(doc => doc.path === FILE),
        'the host serves the document to the guest');
    });

    after(() => cleanup.disposeAll());

    afterEach(async function (): Promise<void> {
        if (this.currentTest?.state === 'failed') {
            const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
            for (const page of [host, ana]) {
                await page?.screenshot(`failed-${name}`, { folder: 'failures' }).catch(() => undefined);
            }
        }
    });

    function editorOf(page: TheiaPage): Locator {
        return page.page.locator('#theia-main-content-panel .lm-DockPanel-widget:not(.lm-mod-hidden) .monaco-editor').first();
    }

    function cursors(page: TheiaPage): Promise<{ own: string | undefined; remote: ReturnType<CursorsDiagnostics['remote']>; following: string | undefined }> {
        return page.page.evaluate(() => {
            const diagnostics = (globalThis as unknown as { ensembleCursors: CursorsDiagnostics }).ensembleCursors;
            return { own: diagnostics.ownColorSuffix(), remote: diagnostics.remote(), following: diagnostics.following() };
        });
    }

    async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        while (!(await check())) {
            if (Date.now() > deadline) {
                throw new Error(`timed out waiting until ${what}`);
            }
            await new Promise(resolve => setTimeout(resolve, 200));
        }
    }

    /** The host's caret offset in its own model (through its editor-sync diagnostics: text up to the caret is not exposed, so via Monaco's DOM-free API). */
    async function hostCaretOffset(): Promise<number> {
        const remote = (await cursors(ana)).remote.find(entry => entry.name === 'Hana' && entry.path === FILE);
        return remote?.selections[0]?.head ?? -1;
    }

    it('shows the host\'s caret and selection in the guest\'s editor in the host\'s colour, with its name', async () => {
        const hostColor = (await cursors(host)).own;
        assert.ok(hostColor && /^[0-9a-f]{6}$/.test(hostColor), `the host publishes a colour: ${hostColor}`);
        // The host selects "line here" on line 2 (caret at its end).
        await editorOf(host).locator('.view-lines').click();
        await host.page.keyboard.press('Control+Home');
        await host.page.keyboard.press('ArrowDown');
        await host.page.keyboard.press('End');
        for (let i = 0; i < 'line here'.length; i++) {
            await host.page.keyboard.press('Shift+ArrowLeft');
        }
        const guestEditor = editorOf(ana);
        await guestEditor.locator(`.ensemble-caret-${hostColor}`).first().waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
        await guestEditor.locator(`.ensemble-selection-${hostColor}`).first().waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
        const expected = 'Shared notes\nsecond '.length;
        await eventually(async () => (await hostCaretOffset()) === expected, `the guest holds the host's caret at ${expected}`);
        // The caret is drawn in the colour's value, not just tagged with its class.
        const rgb = [0, 2, 4].map(i => parseInt(hostColor.slice(i, i + 2), 16)).join(', ');
        // Decorations are redrawn as the caret moves: look at whichever caret element is attached right now.
        await eventually(async () => (await guestEditor.evaluate((element, selector) =>
            Array.from(element.querySelectorAll(selector)).map(caret => getComputedStyle(caret).borderLeftColor), `.ensemble-caret-${hostColor}`)).includes(`rgb(${rgb})`),
        `the caret is drawn in rgb(${rgb})`);

        // The host moves: its name shows next to the caret for a moment; that is the screenshot.
        await host.page.keyboard.press('Shift+ArrowLeft');
        await guestEditor.locator(`.ensemble-label-${hostColor}`, { hasText: 'Hana' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await ana.page.screenshot({ path: path.join(artifactsDir('screenshots'), 'remote-cursors.png') });
        await eventually(async () => (await hostCaretOffset()) === expected - 1, 'the guest follows the host\'s move');

        // The guest types at the start of the file: the host's caret stays on the same text in both windows.
        await guestEditor.locator('.view-lines').click();
        await ana.page.keyboard.press('Control+Home');
        await ana.page.keyboard.type('AB');
        await eventually(async () => (await hostCaretOffset()) === expected + 1, 'the host\'s caret is moved past the guest\'s insert');
        await eventually(async () => {
            const holds = (await cursors(host)).remote.find(entry => entry.name === 'Ana' && entry.path === FILE);
            return holds?.selections.length === 1 && holds.selections[0].head === 2 && holds.selections[0].anchor === 2;
        }, 'the host sees the guest\'s caret after its insert');
    });

    it('follow mode takes the guest to the host\'s file and line, and typing stops it', async () => {
        await ana.widget('ensemble-participants').locator('[data-peer-name="Hana"] button[data-action="follow"]').click();
        await ana.waitForStatusBarText('ensemble-follow', /Following Hana/);
        // The leader opens another file and goes down to LEADER_LINE.
        await host.openFile(SECOND);
        await editorOf(host).locator('.view-lines', { hasText: 'second file line 1' }).waitFor({ timeout: UI_TIMEOUT_MS });
        await editorOf(host).locator('.view-lines').click();
        await host.page.keyboard.press('Control+Home');
        for (let i = 1; i < LEADER_LINE; i++) {
            await host.page.keyboard.press('ArrowDown');
        }
        await ana.page.locator('#theia-main-content-panel .lm-TabBar-tab.lm-mod-current', { hasText: SECOND }).waitFor({ timeout: UI_TIMEOUT_MS });
        const follower = editorOf(ana);
        await follower.locator('.view-line', { hasText: `second file line ${LEADER_LINE}` }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await follower.locator('.line-numbers', { hasText: new RegExp(`^${LEADER_LINE}$`) }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await ana.screenshot('following-host');
        assert.ok((await cursors(ana)).following, 'the guest still follows after being moved');

        // The follower types: following stops, the indicator goes.
        await ana.page.keyboard.type('x');
        await ana.page.locator('#status-bar-ensemble-follow').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
        assert.equal((await cursors(ana)).following, undefined);
        await ana.widget('ensemble-participants').locator('[data-peer-name="Hana"] button[data-action="follow"]').waitFor({ timeout: UI_TIMEOUT_MS });
    });
});
