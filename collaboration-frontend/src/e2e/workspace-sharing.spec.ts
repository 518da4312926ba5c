import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { Cleanup, screenshotOnFailure, SESSION_STATUS_ID, startCollaborationSession, type TheiaPage, UI_TIMEOUT_MS } from './harness';

/**
 * The host's workspace for guests, end to end: the host's browser app on a
 * workspace with a `.env`, a `.git` folder and a subfolder, a guest's app on
 * an empty workspace, each in its own headless Chromium, through the
 * coordination server embedded in the host's backend. The guest browses the
 * host's tree, finds and opens a file, edits and saves it onto the host's
 * disk; never sees `.env`; once read-only, cannot change anything; made
 * an editor again, edits and saves in the same editor.
 */
describe('e2e: the host\'s workspace for guests (two browser apps)', function (): void {
    this.timeout(180_000);

    const STATUS = SESSION_STATUS_ID;
    const cleanup = new Cleanup();
    let hostWorkspace: string;
    let host: TheiaPage;
    let guest: TheiaPage;

    before(async function (): Promise<void> {
        this.timeout(300_000);
        // The session: started by the host (guests auto-accepted read-write), joined by the guest with the link.
        const session = await startCollaborationSession(cleanup, {
            host: {
                name: 'ws-host', displayName: 'Hana', files: {
                    'README.md': '# Shared project\n',
                    'src/index.ts': 'export const answer = 42;\n',
                    'src/util/strings.ts': 'export const greeting = \'hello\';\n',
                    '.env': 'API_KEY=do-not-share\n',
                    '.git/config': '[core]\n'
                }
            },
            guests: [{ name: 'ws-guest', displayName: 'Gus', settings: { 'files.autoSave': 'off' } }]
        });
        hostWorkspace = session.host.workspace;
        host = session.host.page;
        guest = session.guests[0].page;
    });

    after(() => cleanup.disposeAll());

    afterEach(async function (): Promise<void> {
        await screenshotOnFailure(this.currentTest, [host, guest]);
    });

    /** The guest's file explorer, opened if it is not showing. */
    async function guestExplorer(): Promise<Locator> {
        const explorer = guest.widget('files');
        if (!(await explorer.isVisible().catch(() => false))) {
            await guest.page.keyboard.press('Control+Shift+E');
        }
        await explorer.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        return explorer;
    }

    function treeNode(explorer: Locator, name: string): Locator {
        return explorer.locator('.theia-TreeNode').filter({ has: explorer.page().locator('.theia-TreeNodeSegmentGrow', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
    }

    /** Waits until `read()` (e.g. a file on the host's disk) returns what `accept` wants; polls, never sleeps blindly. */
    async function eventually<T>(read: () => T, accept: (value: T) => boolean, what: string, timeoutMs = UI_TIMEOUT_MS): Promise<T> {
        const deadline = Date.now() + timeoutMs;
        let last = read();
        while (!accept(last)) {
            if (Date.now() > deadline) {
                throw new Error(`timed out waiting until ${what}; last value: ${JSON.stringify(last)}`);
            }
            await new Promise(resolve => setTimeout(resolve, 100));
            last = read();
        }
        return last;
    }

    it('shows the guest the host\'s tree in the explorer, without .env or .git', async () => {
        const explorer = await guestExplorer();
        const rootName = path.basename(hostWorkspace);
        const root = treeNode(explorer, rootName);
        await root.waitFor({ timeout: UI_TIMEOUT_MS });
        if (!(await treeNode(explorer, 'README.md').isVisible().catch(() => false))) {
            await root.click();
        }
        await treeNode(explorer, 'README.md').waitFor({ timeout: UI_TIMEOUT_MS });
        await treeNode(explorer, 'src').click();
        await treeNode(explorer, 'index.ts').waitFor({ timeout: UI_TIMEOUT_MS });
        await treeNode(explorer, 'util').waitFor({ timeout: UI_TIMEOUT_MS });
        const names = await explorer.locator('.theia-TreeNodeSegmentGrow').allTextContents();
        assert.ok(!names.includes('.env'), `the explorer lists .env: ${names.join(', ')}`);
        assert.ok(!names.includes('.git'), `the explorer lists .git: ${names.join(', ')}`);
        await guest.screenshot('host-tree-in-guest-explorer', { target: explorer });
    });

    it('finds a host file with "Go to File", opens it, and saves an edit onto the host\'s disk', async () => {
        await guest.openFile('strings.ts');
        const editor = guest.page.locator('#theia-main-content-panel .monaco-editor').first();
        await editor.locator('.view-lines', { hasText: 'greeting' }).waitFor({ timeout: UI_TIMEOUT_MS });
        await editor.locator('.view-lines').click();
        await guest.page.keyboard.press('Control+End');
        await guest.page.keyboard.type('export const farewell = \'bye\';\n');
        await guest.page.keyboard.press('Control+s');
        const onDisk = path.join(hostWorkspace, 'src', 'util', 'strings.ts');
        const saved = await eventually(() => readFileSync(onDisk, 'utf8'), text => text.includes('farewell'), 'the guest\'s edit is on the host\'s disk');
        assert.match(saved, /^export const greeting = 'hello';\n/);
        // Saved cleanly: no "file changed on disk" dialog, the tab is not dirty.
        assert.equal(await guest.page.locator('.dialogOverlay').count(), 0);
        await guest.page.locator('#theia-main-content-panel .lm-TabBar-tab.theia-mod-dirty', { hasText: 'strings.ts' }).waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
        await guest.screenshot('saved-host-file');
    });

    it('never shows .env to the guest, not even in "Go to File"', async () => {
        await guest.closeQuickInput();
        await guest.page.locator('#theia-app-shell').click({ position: { x: 5, y: 5 }, force: true }).catch(() => undefined);
        await guest.page.keyboard.press('Control+p');
        const input = guest.page.locator('.quick-input-widget .quick-input-box input');
        await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        // A query that finds a shared file proves the search runs; the same kind of query finds no .env.
        await input.fill('index.ts');
        await guest.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'index.ts' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
        await input.fill('.env');
        await guest.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'index.ts' }).first().waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
        const rows = await guest.page.locator('.quick-input-widget .monaco-list-row').allTextContents();
        assert.ok(rows.every(row => !row.includes('.env')), `Go to File offers .env: ${rows.join(' | ')}`);
        await guest.page.keyboard.press('Escape');
        const names = await (await guestExplorer()).locator('.theia-TreeNodeSegmentGrow').allTextContents();
        assert.ok(!names.includes('.env'));
    });

    it('makes the editor read-only for a read-only guest, says why, and leaves the host\'s file alone', async () => {
        const onDisk = path.join(hostWorkspace, 'src', 'util', 'strings.ts');
        const before = readFileSync(onDisk, 'utf8');
        const guestMark = await guest.notificationMark();
        await host.widget('ensemble-participants').locator('[data-peer-name="Gus"] button[data-action="make-read-only"]').click();
        await guest.waitForStatusBarText(STATUS, /Joined \(read-only\)/);
        await guest.waitForNotification(/read-only/i, { since: guestMark }).catch(() => undefined);
        const editor = guest.page.locator('#theia-main-content-panel .monaco-editor').first();
        await editor.locator('.view-lines').click();
        await guest.page.keyboard.type('vandalism');
        // Monaco refuses the keystrokes and shows why: the provider's read-only message.
        await guest.page.locator('.monaco-editor-overlaymessage', { hasText: /read-only/ }).first().waitFor({ timeout: UI_TIMEOUT_MS });
        await guest.screenshot('read-only-guest-refused');
        await guest.page.keyboard.press('Control+s');
        assert.equal(readFileSync(onDisk, 'utf8'), before);
        assert.ok(!(await editor.locator('.view-lines').textContent() ?? '').includes('vandalism'));
    });

    it('gives write permission back: the same open editor takes the guest\'s typing again, and its save reaches the host\'s disk', async () => {
        const onDisk = path.join(hostWorkspace, 'src', 'util', 'strings.ts');
        await host.widget('ensemble-participants').locator('[data-peer-name="Gus"] button[data-action="make-read-write"]').click();
        await guest.waitForStatusBarText(STATUS, /Joined(?! \(read-only\))/);
        const editor = guest.page.locator('#theia-main-content-panel .monaco-editor').first();
        await editor.locator('.view-lines').click();
        await guest.page.keyboard.press('Control+End');
        await guest.page.keyboard.type('export const again = true;\n');
        await editor.locator('.view-lines', { hasText: 'export const again = true;' }).waitFor({ timeout: UI_TIMEOUT_MS });
        await guest.page.keyboard.press('Control+s');
        const saved = await eventually(() => readFileSync(onDisk, 'utf8'), text => text.includes('again = true'), 'the guest\'s edit is on the host\'s disk again');
        assert.ok(!saved.includes('vandalism'), 'what was refused while read-only stays out');
    });

    it('closes the guest\'s editors on host files and gives it its own workspace back when the host ends the session', async () => {
        const guestMark = await guest.notificationMark();
        await host.runCommand('Ensemble: End Session');
        await guest.waitForNotification(/The host ended the session/, { since: guestMark });
        await guest.page.locator('#theia-main-content-panel .lm-TabBar-tab', { hasText: 'strings.ts' }).waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
        const explorer = await guestExplorer();
        await treeNode(explorer, path.basename(hostWorkspace)).waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
        await guest.screenshot('after-session');
    });
});
