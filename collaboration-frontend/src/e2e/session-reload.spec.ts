import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { Cleanup, converged, eventually, sharedDocument, screenshotOnFailure, SESSION_STATUS_ID, startCollaborationSession, TheiaPage, UI_TIMEOUT_MS, type RunningSession } from './harness';

/**
 * A reload of the host's or a guest's browser tab (F5, a crashed tab
 * reopened) does not end the session: the window goes back in as the same
 * peer (a guest without a new approval), the documents converge again, and
 * edits a guest made while the host was reloading are not lost.
 */
describe('e2e: reloading a tab keeps the session (host + guest)', function (): void {
    this.timeout(400_000);

    const FILE = 'notes.txt';
    const cleanup = new Cleanup();
    let running: RunningSession;
    let host: TheiaPage;
    let guest: TheiaPage;

    before(async function (): Promise<void> {
        this.timeout(300_000);
        running = await startCollaborationSession(cleanup, {
            host: { name: 'reload-host', displayName: 'Hana', files: { [FILE]: 'first line\nsecond line\n' } },
            guests: [{ name: 'reload-guest', displayName: 'Gus' }]
        });
        host = running.host.page;
        guest = running.guests[0].page;
        for (const page of [host, guest]) {
            await openShared(page);
        }
        await shared();
    });

    after(() => cleanup.disposeAll());
    afterEach(async function (): Promise<void> { await screenshotOnFailure(this.currentTest, [host, guest]); });

    function editorOf(page: TheiaPage): Locator {
        return page.page.locator('#theia-main-content-panel .monaco-editor').first();
    }

    async function openShared(page: TheiaPage): Promise<void> {
        await page.openFile(FILE);
        await editorOf(page).locator('.view-lines', { hasText: 'first line' }).waitFor({ timeout: UI_TIMEOUT_MS });
    }

    /** The host serves the document once a guest has it open: both sides then list it. */
    async function shared(): Promise<void> {
        for (const page of [guest, host]) {
            await eventually(async () => (await sharedDocument(page, FILE)) !== undefined, `${page.name} lists the shared document`, 60_000);
        }
    }

    async function typeAtEndOfLine(page: TheiaPage, lineNumber: number, text: string): Promise<void> {
        await editorOf(page).locator('.view-lines').click();
        await page.page.keyboard.press('Control+Home');
        for (let i = 1; i < lineNumber; i++) {
            await page.page.keyboard.press('ArrowDown');
        }
        await page.page.keyboard.press('End');
        await page.page.keyboard.type(text);
    }

    async function reload(page: TheiaPage): Promise<void> {
        await page.page.reload();
        await page.waitUntilReady();
    }

    it('the host reloads: it hosts the same session again, and what the guest typed meanwhile arrives', async () => {
        await typeAtEndOfLine(guest, 1, ' before');
        await eventually(async () => (await sharedDocument(host, FILE))?.text?.includes('first line before') ?? false, 'the guest\'s edit reaches the host');
        await save(host, 'first line before\nsecond line\n');

        await reload(host);
        await host.waitForStatusBarText(SESSION_STATUS_ID, /Hosting · 1 guest$/, 60_000);
        // The guest types while the host is back but has not opened the file yet.
        await typeAtEndOfLine(guest, 2, ' during');
        await openShared(host);
        await guest.waitForStatusBarText(SESSION_STATUS_ID, /^\s*Joined\s*$/, 60_000);
        await shared();
        await typeAtEndOfLine(host, 1, ' host');
        const text = await converged([host, guest], FILE);
        assert.equal(text, 'first line before host\nsecond line during\n');
        await save(host, text);
    });

    it('the guest reloads: it is back in without a new approval, and edits flow both ways', async () => {
        const [firstBefore, secondBefore] = (await converged([host, guest], FILE)).split('\n');
        await reload(guest);
        await guest.waitForStatusBarText(SESSION_STATUS_ID, /^\s*Joined\s*$/, 60_000);
        await openShared(guest);
        await shared();
        await typeAtEndOfLine(guest, 2, ' again');
        await typeAtEndOfLine(host, 2, '!');
        const text = await converged([host, guest], FILE);
        // Both typed at the end of line 2 at once: the host's '!' may land anywhere among the guest's letters.
        const [first, second] = text.split('\n');
        assert.equal(first, firstBefore);
        assert.equal(second.replace('!', ''), `${secondBefore} again`);
        assert.equal(second.split('!').length, 2, `one '!' in ${JSON.stringify(second)}`);
        await save(host, text);
    });

    async function save(page: TheiaPage, expected: string): Promise<void> {
        await editorOf(page).locator('.view-lines').click();
        await page.page.keyboard.press('Control+s');
        await eventually(async () => readFileSync(path.join(running.host.workspace, FILE), 'utf8') === expected, `the host's file holds ${JSON.stringify(expected)}`);
    }
});
