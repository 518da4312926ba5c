import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import type { EditorSyncDiagnostics, SharedDocumentSummary } from '../browser/editor-sync/editor-sync-diagnostics';
import { Cleanup, screenshotOnFailure, startCollaborationSession, type TheiaPage } from './harness';

/** Size of the generated file (UTF-16 code units = bytes: ASCII only). ENSEMBLE_E2E_LARGE_MB overrides. */
const SIZE = Number(process.env.ENSEMBLE_E2E_LARGE_MB ?? 50) * 1024 * 1024;
const FILE = 'big-50m.txt';
const LAST_LINE = 'THE VERY LAST LINE OF THE LARGE FILE';
/** Generous: CI runs this on two loaded cores. The open itself should take well under a minute there. */
const OPEN_TIMEOUT_MS = 240_000;
const SYNC_TIMEOUT_MS = 120_000;

/** Code-like lines (brackets included, as real source has them) ending with a line one can recognise on screen. */
function largeText(): string {
    const line = 'const value = computeSomething(alpha, beta, gamma) + 42; // filler filler fill\n';
    const last = `${LAST_LINE}\n`;
    const body = line.repeat(Math.ceil((SIZE - last.length) / line.length)).slice(0, SIZE - last.length);
    return body.slice(0, body.lastIndexOf('\n') + 1) + last;
}

/**
 * A 50 MB file shared by the host (generated into the temp workspace at
 * test time): a guest opens it and sees the download's progress, the
 * editor shows the end of the file, the guest's and the host's typing reach
 * the other side, and both models end equal (checksums through
 * `window.ensembleEditorSync.summaries()`, which never ships the text).
 */
describe('e2e: a 50 MB shared file (host + guest)', function (): void {
    this.timeout(600_000);

    const cleanup = new Cleanup();
    let host: TheiaPage;
    let guest: TheiaPage;
    /** Length of the generated text (a little under SIZE: it ends at a whole line). */
    let length = 0;

    before(async function (): Promise<void> {
        this.timeout(300_000);
        const text = largeText();
        length = text.length;
        const session = await startCollaborationSession(cleanup, {
            host: { name: 'large-host', displayName: 'Hana', files: { [FILE]: text, 'small.txt': 'small\n' }, autoAccept: 'read-write' },
            guests: [{ name: 'large-guest', displayName: 'Gus' }]
        });
        host = session.host.page;
        guest = session.guests[0].page;
    });

    after(() => cleanup.disposeAll());

    afterEach(async function (): Promise<void> {
        if (this.currentTest?.state === 'failed') {
            for (const page of [host, guest]) {
                const notes = await page?.notificationTexts().catch(() => []);
                console.log(`[${page?.name}] notifications: ${JSON.stringify(notes)}; page errors: ${JSON.stringify(page?.pageErrors.slice(-10))}`);
            }
        }
        await screenshotOnFailure(this.currentTest, [host, guest]);
    });

    function editorOf(page: TheiaPage): Locator {
        return page.page.locator('#theia-main-content-panel .monaco-editor:visible').first();
    }

    async function summaryOf(page: TheiaPage): Promise<SharedDocumentSummary | undefined> {
        const all = await page.page.evaluate(() => (globalThis as unknown as { ensembleEditorSync?: EditorSyncDiagnostics }).ensembleEditorSync?.summaries() ?? []);
        return all.find(doc => doc.path === FILE);
    }

    async function eventually(check: () => Promise<boolean>, what: string, timeoutMs: number, describe: () => string = () => ''): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        while (!(await check())) {
            if (Date.now() > deadline) {
                throw new Error(`timed out waiting until ${what} ${describe()}`);
            }
            await new Promise(resolve => setTimeout(resolve, 500));
        }
    }

    /** Waits until host and guest hold the same text (length and checksum) at the same revision, the guest with nothing pending. */
    async function inSync(what: string): Promise<SharedDocumentSummary> {
        let last: Array<SharedDocumentSummary | undefined> = [];
        await eventually(async () => {
            last = [await summaryOf(host), await summaryOf(guest)];
            const [h, g] = last;
            return !!h && !!g && g.state === 'synchronized' && g.revision === h.revision && g.length === h.length && g.hash === h.hash;
        }, what, SYNC_TIMEOUT_MS, () => JSON.stringify(last.map(doc => doc && { state: doc.state, revision: doc.revision, length: doc.length, hash: doc.hash })));
        return last[0]!;
    }

    it('opens for the guest with progress, shows its end, and carries typing both ways', async () => {
        const mark = await guest.notificationMark();
        const started = Date.now();
        await guest.openFile(FILE, OPEN_TIMEOUT_MS);
        // The download reports percent done while it runs (the recorder keeps every text a notification showed).
        const progress = await guest.waitForNotification(/opening big-50m\.txt from the host.*\d+\.\d of \d+\.\d MB \(\d+%\)/, { since: mark, timeoutMs: OPEN_TIMEOUT_MS });
        assert.match(progress, /\(\d+%\)/);
        await editorOf(guest).locator('.view-lines', { hasText: 'computeSomething' }).waitFor({ timeout: OPEN_TIMEOUT_MS });
        const opened = await inSync('the guest has the host\'s text');
        // For the record (never asserted: the machine's load decides): how long the open took.
        console.log(`      guest opened ${(SIZE / 1024 / 1024).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        assert.equal(opened.length, length);
        assert.ok(opened.tail.endsWith(`${LAST_LINE}\n`), `the host's text ends with the last line: ${JSON.stringify(opened.tail)}`);
        assert.equal((await summaryOf(guest))?.limited, true, 'the guest\'s editor runs with the large-document options');

        // What the guest sees at the end of the file.
        await editorOf(guest).locator('.view-lines').click({ position: { x: 60, y: 10 } });
        await guest.page.keyboard.press('Control+End');
        await editorOf(guest).locator('.view-lines', { hasText: LAST_LINE }).waitFor({ timeout: SYNC_TIMEOUT_MS });
        await guest.screenshot('large-file-end', { target: editorOf(guest) });

        // The guest types a line at the end; the host's model gets it.
        await guest.page.keyboard.type('guest typed this at the end', { delay: 30 });
        await guest.page.keyboard.press('Enter');
        await eventually(async () => (await summaryOf(host))?.tail.endsWith('guest typed this at the end\n') ?? false,
            'the host has the guest\'s line', SYNC_TIMEOUT_MS);
        await inSync('both have the guest\'s line');

        // The host types at the start; the guest gets it.
        await host.openFile(FILE, OPEN_TIMEOUT_MS);
        await editorOf(host).locator('.view-lines', { hasText: 'computeSomething' }).waitFor({ timeout: OPEN_TIMEOUT_MS });
        await editorOf(host).locator('.view-lines').click({ position: { x: 60, y: 10 } });
        await host.page.keyboard.press('Control+Home');
        await host.page.keyboard.type('host typed this first', { delay: 30 });
        await host.page.keyboard.press('Enter');
        await eventually(async () => (await summaryOf(guest))?.head.startsWith('host typed this first\n') ?? false,
            'the guest has the host\'s line', SYNC_TIMEOUT_MS);
        await editorOf(guest).locator('.view-lines', { hasText: LAST_LINE }).waitFor({ timeout: SYNC_TIMEOUT_MS });
        assert.equal((await summaryOf(host))?.limited, true, 'the host\'s editor runs with the large-document options while shared');

        const final = await inSync('both end with the same text');
        assert.equal(final.length, length + 'guest typed this at the end\n'.length + 'host typed this first\n'.length);
        assert.ok(final.head.startsWith('host typed this first\nconst value'), JSON.stringify(final.head));
        assert.ok(final.tail.endsWith(`${LAST_LINE}\nguest typed this at the end\n`), JSON.stringify(final.tail));
        await guest.screenshot('large-file-after-typing', { target: editorOf(guest) });
    });
});
