import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { SeededRandom } from '@ensemble/collaboration-common/lib/ot/testing/seeded-random';
import type { EditorSyncDiagnostics } from '../browser/editor-sync/editor-sync-diagnostics';
import { Cleanup, converged, eventually, sharedDocument, screenshotOnFailure, startCollaborationSession, type TheiaPage, UI_TIMEOUT_MS } from './harness';

/** How long the three peers type at once (ms): the issue asks for at least 30 s. */
const TYPING_MS = Number(process.env.ENSEMBLE_E2E_TYPING_MS ?? 30_000);
const SEED = Number(process.env.ENSEMBLE_E2E_SEED ?? 20250505);

/**
 * Collaborative editing end to end: a host and two guests, each a browser
 * app in its own headless Chromium, type into the same file at once with
 * real keyboard input at random (seeded) places, Enter, Backspace, pasted
 * multi-line text and emoji. Afterwards all three editors hold the same
 * text and the host's file on disk equals it once saved.
 */
describe('e2e: collaborative editing (host + two guests)', function (): void {
    this.timeout(600_000);

    const FILE = 'notes.txt';
    const cleanup = new Cleanup();
    let hostWorkspace: string;
    let host: TheiaPage;
    let ana: TheiaPage;
    let ben: TheiaPage;

    before(async function (): Promise<void> {
        this.timeout(400_000);
        const session = await startCollaborationSession(cleanup, {
            host: { name: 'sync-host', displayName: 'Hana', files: { [FILE]: 'Shared notes\nsecond line\nthird line\n' } },
            guests: [{ name: 'sync-ana', displayName: 'Ana' }, { name: 'sync-ben', displayName: 'Ben' }]
        });
        hostWorkspace = session.host.workspace;
        host = session.host.page;
        [ana, ben] = session.guests.map(guest => guest.page);
        for (const page of [host, ana, ben]) {
            await page.openFile(FILE);
            await editorOf(page).locator('.view-lines', { hasText: 'Shared notes' }).waitFor({ timeout: UI_TIMEOUT_MS });
        }
        await eventually(async () => (await sharedDocument(host, FILE)) !== undefined, 'the host serves the document to the guests');
    });

    after(() => cleanup.disposeAll());

    afterEach(async function (): Promise<void> {
        await screenshotOnFailure(this.currentTest, [host, ana, ben]);
    });

    function editorOf(page: TheiaPage): Locator {
        return page.page.locator('#theia-main-content-panel .monaco-editor').first();
    }

    /** One peer's typing session: seeded random clicks, words, Enter, Backspace, multi-line pastes and emoji. */
    async function typeRandomly(page: TheiaPage, seed: number, until: number): Promise<number> {
        const random = new SeededRandom(seed);
        const editor = editorOf(page);
        const lines = editor.locator('.view-lines');
        const keyboard = page.page.keyboard;
        let actions = 0;
        await lines.click();
        while (Date.now() < until) {
            const box = await lines.boundingBox();
            const choice = random.next();
            if (choice < 0.2 && box) {
                await page.page.mouse.click(box.x + 5 + random.next() * Math.min(box.width - 10, 400), box.y + 3 + random.next() * Math.min(box.height - 6, 300));
            } else if (choice < 0.55) {
                await keyboard.type(random.pick(['hello ', 'world ', 'ot ', 'sync ', 'é ', 'x']), { delay: random.int(5, 40) });
            } else if (choice < 0.65) {
                await keyboard.press('Enter');
            } else if (choice < 0.8) {
                for (let i = random.int(1, 3); i > 0; i--) {
                    await keyboard.press('Backspace');
                }
            } else if (choice < 0.9) {
                // A paste: the whole multi-line text arrives in one input event, as from the clipboard.
                await keyboard.insertText(random.pick(['pasted line 1\npasted line 2\n', 'fn() {\n    return 1;\n}\n', 'a\nb\nc']));
            } else {
                await keyboard.type(random.pick(['😀', '🎉 ', '👍🏽']));
            }
            actions++;
        }
        return actions;
    }

    it(`stays in sync while all three type at once for ${Math.round(TYPING_MS / 1000)} s, and the host's saved file equals the text`, async () => {
        const until = Date.now() + TYPING_MS;
        const counts = await Promise.all([typeRandomly(host, SEED, until), typeRandomly(ana, SEED + 1, until), typeRandomly(ben, SEED + 2, until)]);
        const text = await converged([host, ana, ben], FILE);
        await host.screenshot('after-concurrent-typing');
        await ana.screenshot('after-concurrent-typing');
        // Save on the host (a guest's save does the same through the host): the file on disk is the shared text.
        await editorOf(host).locator('.view-lines').click();
        await host.page.keyboard.press('Control+s');
        const onDisk = path.join(hostWorkspace, FILE);
        await eventually(async () => readFileSync(onDisk, 'utf8') === (await sharedDocument(host, FILE))?.text, 'the host\'s file on disk equals the shared text');
        assert.ok(text.length > 200, `the peers typed: ${text.length} characters`);
        console.log(`      typed ${counts.join(' / ')} actions (host / Ana / Ben) in ${TYPING_MS} ms; final text ${text.length} characters`);
        const metrics = await Promise.all([ana, ben].map(page => page.page.evaluate(() =>
            (globalThis as unknown as { ensembleEditorSync: EditorSyncDiagnostics }).ensembleEditorSync.metrics())));
        console.log(`      guest metrics: ${JSON.stringify(metrics)}`);
        assert.deepEqual(metrics.map(m => m.checksumMismatches), [0, 0]);
    });

    it('a guest\'s save makes the host save, without a dialog and without a dirty tab left', async () => {
        await editorOf(ana).locator('.view-lines').click();
        await ana.page.keyboard.press('Control+End');
        await ana.page.keyboard.type('\nsaved by Ana');
        await ana.page.keyboard.press('Control+s');
        const onDisk = path.join(hostWorkspace, FILE);
        await eventually(async () => readFileSync(onDisk, 'utf8').endsWith('saved by Ana'), 'Ana\'s edit is on the host\'s disk');
        assert.equal(await ana.page.locator('.dialogOverlay').count(), 0);
        await ana.page.locator('#theia-main-content-panel .lm-TabBar-tab.theia-mod-dirty', { hasText: FILE }).waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
        await converged([host, ana, ben], FILE);
    });
});
