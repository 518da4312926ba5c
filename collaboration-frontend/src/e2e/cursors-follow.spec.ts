import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import type { CursorsDiagnostics } from '../browser/cursors/cursors-diagnostics';
import type { EditorSyncDiagnostics } from '../browser/editor-sync/editor-sync-diagnostics';
import { artifactsDir, Cleanup, eventually, screenshotOnFailure, startCollaborationSession, type TheiaPage, UI_TIMEOUT_MS } from './harness';

/**
 * Remote cursors and follow mode end to end: a host and one guest, each a
 * browser app in its own headless Chromium. The guest sees the host's caret
 * and selection in the host's colour (and keeps it on the same text while it
 * types before it); following the host takes the guest to the host's file
 * and line and shows the same first line as the host scrolls; typing or
 * scrolling stops following.
 */
describe('e2e: remote cursors and follow mode (host + guest)', function (): void {
    this.timeout(300_000);

    const FILE = 'notes.txt';
    const SECOND = 'second.txt';
    const LEADER_LINE = 45;
    const SECOND_LINES = 300;
    const cleanup = new Cleanup();
    let host: TheiaPage;
    let ana: TheiaPage;

    before(async function (): Promise<void> {
        this.timeout(300_000);
        const secondText = Array.from({ length: SECOND_LINES }, (_, i) => `second file line ${i + 1}`).join('\n') + '\n';
        const session = await startCollaborationSession(cleanup, {
            host: { name: 'cursors-host', displayName: 'Hana', files: { [FILE]: 'Shared notes\nsecond line here\nthird line\n', [SECOND]: secondText } },
            guests: [{ name: 'cursors-ana', displayName: 'Ana' }]
        });
        host = session.host.page;
        ana = session.guests[0].page;
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
        await screenshotOnFailure(this.currentTest, [host, ana]);
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

    /**
     * The first line the page's editor shows whole, read from its gutter:
     * the line number whose line starts at or below the top of the text
     * area (the line above may be partly scrolled out).
     */
    function firstVisibleLine(page: TheiaPage): Promise<number | undefined> {
        return editorOf(page).evaluate(element => {
            const top = element.querySelector('.overflow-guard')?.getBoundingClientRect().top ?? 0;
            const numbers = Array.from(element.querySelectorAll('.margin-view-overlays .line-numbers'))
                .map(node => ({ top: node.getBoundingClientRect().top, line: Number.parseInt(node.textContent ?? '', 10) }))
                .filter(entry => entry.top >= top - 0.5 && Number.isInteger(entry.line))
                .sort((a, b) => a.top - b.top);
            return numbers[0]?.line;
        });
    }

    /** Scrolls with the mouse wheel over the page's editor, one notch at a time as a hand does (the caret stays where it is). */
    async function wheelOver(page: TheiaPage, notches: number): Promise<void> {
        const box = await editorOf(page).boundingBox();
        assert.ok(box, 'the editor is on screen');
        await page.page.mouse.move(box.x + box.width / 3, box.y + box.height / 2);
        for (let i = 0; i < Math.abs(notches); i++) {
            await page.page.mouse.wheel(0, Math.sign(notches) * 120);
            await page.page.waitForTimeout(30);
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

    it('follow mode shows the host\'s first visible line as the host scrolls, and the follower\'s own scroll stops it', async () => {
        await ana.widget('ensemble-participants').locator('[data-peer-name="Hana"] button[data-action="follow"]').click();
        await ana.waitForStatusBarText('ensemble-follow', /Following Hana/);
        await ana.page.locator('#theia-main-content-panel .lm-TabBar-tab.lm-mod-current', { hasText: SECOND }).waitFor({ timeout: UI_TIMEOUT_MS });
        const caret = host.page.locator('#status-bar-editor-status-cursor-position');
        const caretBefore = (await caret.textContent())?.trim();
        assert.match(caretBefore ?? '', new RegExp(`Ln ${LEADER_LINE},`));

        // The host scrolls far down with the wheel, leaving its caret where it is.
        await wheelOver(host, 40);
        let hostTop: number | undefined;
        await eventually(async () => {
            const [leader, follower] = await Promise.all([firstVisibleLine(host), firstVisibleLine(ana)]);
            hostTop = leader;
            return leader !== undefined && leader > LEADER_LINE + 30 && follower === leader;
        }, 'the guest shows the host\'s first visible line');
        assert.equal((await caret.textContent())?.trim(), caretBefore, 'the host\'s caret did not move');
        await ana.page.screenshot({ path: path.join(artifactsDir('screenshots'), 'follow-scroll-guest.png') });
        await host.page.screenshot({ path: path.join(artifactsDir('screenshots'), 'follow-scroll-host.png') });

        // And back up a little: the guest keeps up.
        await wheelOver(host, -8);
        await eventually(async () => {
            const [leader, follower] = await Promise.all([firstVisibleLine(host), firstVisibleLine(ana)]);
            return leader !== undefined && leader < (hostTop ?? 0) && follower === leader;
        }, 'the guest follows the host back up');
        assert.equal((await cursors(ana)).following !== undefined, true, 'still following');

        // The follower scrolls itself: following stops, the indicator goes, and the host's next scroll no longer moves the guest.
        await wheelOver(ana, 3);
        await ana.page.locator('#status-bar-ensemble-follow').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
        assert.equal((await cursors(ana)).following, undefined);
    });
});
