import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import type { EditorSyncDiagnostics } from '../browser/editor-sync/editor-sync-diagnostics';
import { Cleanup, converged, eventually, sharedDocument, screenshotOnFailure, startCollaborationSession, type TheiaPage, UI_TIMEOUT_MS } from './harness';

/** How long the guest stays offline while it keeps typing (ms): the issue asks for 10 s. */
const OFFLINE_MS = 10_000;

/**
 * Own-edit undo and offline editing end to end, host + one guest in their
 * own headless Chromiums: Ctrl+Z after concurrent edits removes only the
 * presser's own edit (on the guest and on the host), and a guest whose
 * browser goes offline for 10 s (offline emulation, and its open connection
 * dropped) keeps typing and converges once back.
 */
describe('e2e: own-edit undo and offline editing (host + guest)', function (): void {
    this.timeout(400_000);

    const FILE = 'undo.txt';
    const cleanup = new Cleanup();
    let host: TheiaPage;
    let guest: TheiaPage;

    before(async function (): Promise<void> {
        this.timeout(300_000);
        const session = await startCollaborationSession(cleanup, {
            host: { name: 'undo-host', displayName: 'Hana', files: { [FILE]: 'first line\nsecond line\nthird line\n' } },
            guests: [{ name: 'undo-guest', displayName: 'Gus' }]
        });
        host = session.host.page;
        guest = session.guests[0].page;
        for (const page of [host, guest]) {
            await page.openFile(FILE);
            await editorOf(page).locator('.view-lines', { hasText: 'first line' }).waitFor({ timeout: UI_TIMEOUT_MS });
        }
        await eventually(async () => (await sharedDocument(host, FILE)) !== undefined, 'the host serves the document to the guest');
    });

    after(() => cleanup.disposeAll());

    afterEach(async function (): Promise<void> {
        await guest?.context.setOffline(false).catch(() => undefined);
        await screenshotOnFailure(this.currentTest, [host, guest]);
    });

    function editorOf(page: TheiaPage): Locator {
        return page.page.locator('#theia-main-content-panel .monaco-editor').first();
    }

    async function sessionState(page: TheiaPage): Promise<string | undefined> {
        return page.page.evaluate(() => (globalThis as unknown as { ensembleEditorSync?: EditorSyncDiagnostics }).ensembleEditorSync?.sessionState);
    }

    /** Puts the caret at the end of line `lineNumber` (1-based) of the page's editor. */
    async function caretAtEndOfLine(page: TheiaPage, lineNumber: number): Promise<void> {
        await editorOf(page).locator('.view-lines').click();
        await page.page.keyboard.press('Control+Home');
        for (let i = 1; i < lineNumber; i++) {
            await page.page.keyboard.press('ArrowDown');
        }
        await page.page.keyboard.press('End');
    }

    /**
     * Presses `key` until `done` holds and returns how often it was pressed.
     * Keystrokes typed quickly make one undo step; on a loaded machine a word
     * may take several, and each press must then take one more of them.
     */
    async function pressUntil(page: TheiaPage, key: string, done: () => Promise<boolean>, what: string): Promise<number> {
        for (let presses = 1; presses <= 20; presses++) {
            await page.page.keyboard.press(key);
            try {
                await eventually(done, what, 3_000);
                return presses;
            } catch {
                // one more step to take back
            }
        }
        throw new Error(`timed out waiting until ${what} (20 presses of ${key})`);
    }

    it('Ctrl+Z after concurrent edits removes only the presser\'s own edit, on the guest and on the host', async () => {
        await caretAtEndOfLine(guest, 1);
        await guest.page.keyboard.type(' guestword');
        await eventually(async () => (await sharedDocument(host, FILE))?.text?.includes('first line guestword') ?? false, 'the guest\'s word reaches the host');
        await caretAtEndOfLine(host, 3);
        await host.page.keyboard.type(' hostword');
        let text = await converged([host, guest], FILE);
        assert.equal(text, 'first line guestword\nsecond line\nthird line hostword\n');

        await editorOf(guest).locator('.view-lines').click();
        const guestUndos = await pressUntil(guest, 'Control+z', async () => (await sharedDocument(guest, FILE))?.text === 'first line\nsecond line\nthird line hostword\n', 'the guest\'s undo removes its whole word');
        text = await converged([host, guest], FILE);
        assert.equal(text, 'first line\nsecond line\nthird line hostword\n');

        // The host's Ctrl+Z likewise takes back only the host's word, after the guest's undo changed the text around it.
        await caretAtEndOfLine(host, 2);
        await pressUntil(host, 'Control+z', async () => (await sharedDocument(host, FILE))?.text === 'first line\nsecond line\nthird line\n', 'the host\'s undo removes its whole word');
        text = await converged([host, guest], FILE);
        assert.equal(text, 'first line\nsecond line\nthird line\n');

        // Redo (Ctrl+Y) as often as the guest undid brings the guest's word back, not the host's.
        await editorOf(guest).locator('.view-lines').click();
        for (let i = 0; i < guestUndos; i++) {
            await guest.page.keyboard.press('Control+y');
        }
        await eventually(async () => (await sharedDocument(host, FILE))?.text === 'first line guestword\nsecond line\nthird line\n', 'the guest\'s redo restores its word');
        await converged([host, guest], FILE);
    });

    it(`a guest that goes offline for ${OFFLINE_MS / 1000} s keeps typing and converges on reconnect`, async () => {
        await caretAtEndOfLine(guest, 2);
        // Offline emulation keeps new connections from opening but leaves the open WebSocket alone (Chromium):
        // the drop of the live connection a network failure causes is done through the page's diagnostics hook.
        await guest.context.setOffline(true);
        assert.ok(await guest.page.evaluate(() => (globalThis as unknown as { ensembleEditorSync: EditorSyncDiagnostics }).ensembleEditorSync.dropConnection()));
        await eventually(async () => (await sessionState(guest)) !== 'connected', 'the guest notices it is offline', 20_000);
        const offlineSince = Date.now();
        let words = 0;
        while (Date.now() - offlineSince < OFFLINE_MS) {
            await guest.page.keyboard.type(` off${words++}`, { delay: 20 });
            if (words % 3 === 0) {
                // The host keeps typing meanwhile, elsewhere.
                await caretAtEndOfLine(host, 1);
                await host.page.keyboard.type(` h${words}`);
            }
            await new Promise(resolve => setTimeout(resolve, 200));
        }
        assert.ok(!(await sharedDocument(host, FILE))?.text?.includes(' off0'), 'the offline guest\'s edits did not reach the host while offline');
        await guest.context.setOffline(false);
        await eventually(async () => (await sessionState(guest)) === 'connected', 'the guest is back', 60_000);
        const text = await converged([host, guest], FILE);
        const expected = Array.from({ length: words }, (_, i) => ` off${i}`).join('');
        assert.ok(text.includes(`second line${expected}\n`), `all the guest's offline words arrived in order: ${JSON.stringify(text)}`);
        assert.match(text.split('\n')[0], / h3 h6/);
    });
});
