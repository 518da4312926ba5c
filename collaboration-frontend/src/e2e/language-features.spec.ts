import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import type { EditorSyncDiagnostics } from '../browser/editor-sync/editor-sync-diagnostics';
import { Cleanup, eventually, screenshotOnFailure, startCollaborationSession, UI_TIMEOUT_MS, type TheiaPage } from './harness';

/**
 * The host's language features on a guest, end to end: the host runs the
 * test language fixture (fixtures/test-language, on only with
 * ENSEMBLE_TEST_FIXTURES=1), the guest does not have it at all. The guest's
 * editor on the host's `.enstest` file shows the host provider's hover, its
 * completion items (resolved on the host), its diagnostics, document symbols
 * (in the Outline view), references and signature help, goes to its
 * definitions, renames, formats and applies quick fixes through it; an
 * accepted item, a rename, a formatting and a fix reach the host's document
 * through OT.
 */
describe('e2e: language features from the host (host + guest)', function (): void {
    this.timeout(300_000);

    const FILE = 'src/sample.enstest';
    const cleanup = new Cleanup();
    let host: TheiaPage;
    let ana: TheiaPage;

    before(async function (): Promise<void> {
        this.timeout(300_000);
        const session = await startCollaborationSession(cleanup, {
            host: {
                name: 'lang-host', displayName: 'Hana', env: { ENSEMBLE_TEST_FIXTURES: '1' },
                files: { [FILE]: 'alpha beta gamma\nsecond line TODO here\nsee beta again\n\n' }
            },
            // Without Monaco's own word suggestions the list holds only what the host's providers gave.
            guests: [{ name: 'lang-ana', displayName: 'Ana', settings: { 'editor.wordBasedSuggestions': 'off' } }]
        });
        host = session.host.page;
        ana = session.guests[0].page;
        // Quick Open searches the host's files; on a loaded machine the first search right after joining can come back
        // empty (the host's workspace not yet mounted): ask again rather than fail.
        for (let attempt = 1; ; attempt++) {
            try {
                await ana.openFile(FILE);
                break;
            } catch (error) {
                if (attempt === 3) {
                    throw error;
                }
            }
        }
        await editorOf(ana).locator('.view-lines', { hasText: 'alpha beta gamma' }).waitFor({ timeout: UI_TIMEOUT_MS });
    });

    after(() => cleanup.disposeAll());
    afterEach(async function (): Promise<void> {
        await screenshotOnFailure(this.currentTest, [host, ana]);
    });

    function editorOf(page: TheiaPage): Locator {
        return page.page.locator('#theia-main-content-panel .lm-DockPanel-widget:not(.lm-mod-hidden) .monaco-editor').first();
    }

    /** Moves the mouse onto `word` in the editor's visible text, as a user pointing at it. */
    async function hoverWord(page: TheiaPage, word: string): Promise<void> {
        const point = await editorOf(page).locator('.view-lines').evaluate((lines, wanted) => {
            const walker = document.createTreeWalker(lines, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.textContent?.indexOf(wanted) ?? -1;
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + wanted.length);
                    const rect = range.getBoundingClientRect();
                    return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
                }
            }
            return undefined;
        }, word);
        assert.ok(point, `"${word}" is visible in the guest's editor`);
        await page.page.mouse.move(point.x - 20, point.y + 40);
        await page.page.mouse.move(point.x, point.y, { steps: 5 });
    }

    async function hostText(): Promise<string | undefined> {
        return host.page.evaluate(path => (globalThis as unknown as { ensembleEditorSync: EditorSyncDiagnostics }).ensembleEditorSync
            .documents().find(document => document.path === path)?.text, FILE);
    }

    it('shows the host provider\'s hover on a guest', async () => {
        // The guest has no test language (its backend runs without the fixture): whatever it shows comes from the host.
        await ana.waitForStatusBarText('editor-status-language', /Plain Text/);
        const hover = ana.page.locator('.monaco-hover', { hasText: 'host hover: beta at line 1' });
        // Monaco shows a hover after a short delay; a busy machine may swallow the first move: point again until it shows.
        await eventually(async () => {
            await hoverWord(ana, 'beta');
            return hover.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
        }, 'the host\'s hover shows');
        await ana.screenshot('language-hover');
    });

    it('shows the host\'s diagnostics on a guest, in the editor and the Problems view', async () => {
        await editorOf(ana).locator('.squiggly-warning').first().waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
        const hover = ana.page.locator('.monaco-hover', { hasText: 'host diagnostic: TODO on line 2' });
        await eventually(async () => {
            await hoverWord(ana, 'TODO');
            return hover.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
        }, 'the host\'s diagnostic shows in the hover');
        await ana.screenshot('language-diagnostic');
        // And in the guest's Problems view, under the host's file.
        await ana.runCommand('View: Toggle Problems');
        const problems = ana.page.locator('#problems');
        await problems.locator('.theia-TreeNode', { hasText: 'sample.enstest' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
        await problems.locator('.theia-TreeNode', { hasText: 'host diagnostic: TODO on line 2' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
        await ana.screenshot('language-problems');
    });

    it('goes to the definition the host\'s provider finds', async () => {
        await ana.page.mouse.move(0, 0);
        await editorOf(ana).locator('.view-lines').click();
        // The caret onto "beta" in line 3: its definition is its first occurrence, in line 1.
        for (const key of ['Control+Home', 'ArrowDown', 'ArrowDown', 'End', 'Control+ArrowLeft', 'Control+ArrowLeft']) {
            await ana.page.keyboard.press(key);
        }
        await ana.waitForStatusBarText('editor-status-cursor-position', /Ln 3, Col 5\b/);
        await ana.page.keyboard.press('F12');
        await ana.waitForStatusBarText('editor-status-cursor-position', /Ln 1, Col 7\b/);
    });

    it('renames through the host\'s provider; the host applies the edits and they reach the guest', async () => {
        await editorOf(ana).locator('.view-lines').click();
        for (const key of ['Control+Home', 'Control+ArrowRight', 'Control+ArrowRight', 'Control+ArrowLeft']) {
            await ana.page.keyboard.press(key); // onto "beta" in line 1
        }
        await ana.page.keyboard.press('F2');
        const input = ana.page.locator('.rename-box .rename-input');
        await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await input.fill('delta');
        await ana.screenshot('language-rename');
        await input.press('Enter');
        await eventually(async () => (await hostText())?.startsWith('alpha delta gamma\nsecond line TODO here\nsee delta again\n') ?? false,
            'the host renamed both occurrences');
        await editorOf(ana).locator('.view-lines', { hasText: 'see delta again' }).waitFor({ timeout: UI_TIMEOUT_MS });
    });

    it('completes with the host\'s items (resolved on the host) and the accepted item reaches the host', async () => {
        await ana.page.mouse.move(0, 0);
        await editorOf(ana).locator('.view-lines').click();
        await ana.page.keyboard.press('Control+End');
        await ana.page.keyboard.type('hostC');
        await eventually(async () => (await hostText())?.endsWith('\n\nhostC') ?? false, 'the host has the guest\'s typing');
        await ana.page.keyboard.press('Control+Space');
        const widget = ana.page.locator('.suggest-widget');
        await widget.locator('.monaco-list-row', { hasText: 'hostCompletionAlpha' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await widget.locator('.monaco-list-row', { hasText: 'hostCompletionBeta' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        // "Read More" on the focused item opens its details: the documentation comes from the host's resolve.
        // The list may re-render under the pointer on a loaded machine, swallowing a click: click again while no details show.
        const focused = widget.locator('.monaco-list-row.focused', { hasText: 'hostCompletionAlpha' });
        const details = ana.page.locator('.suggest-details');
        await eventually(async () => {
            if (!(await details.isVisible())) {
                await focused.hover();
                await focused.locator('.readMore').click();
            }
            return details.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
        }, 'the item\'s details show');
        await ana.page.locator('.suggest-details', { hasText: 'resolved on the host: hostCompletionAlpha' })
            .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await ana.screenshot('language-completion');
        await ana.page.keyboard.press('Enter');
        await editorOf(ana).locator('.view-lines', { hasText: 'hostCompletionAlpha' }).waitFor({ timeout: UI_TIMEOUT_MS });
        await eventually(async () => (await hostText())?.endsWith('\n\nhostCompletionAlpha') ?? false, 'the host has the accepted item');
    });

    it('lists the host\'s document symbols in the guest\'s Outline view', async () => {
        await editorOf(ana).locator('.view-lines').click();
        await ana.runCommand('View: Toggle Outline');
        const outline = ana.page.locator('#outline-view');
        for (const word of ['alpha', 'second', 'see', 'hostCompletionAlpha']) {
            await outline.locator('.theia-TreeNode', { hasText: `host symbol ${word}` }).first().waitFor({ timeout: UI_TIMEOUT_MS });
        }
        await ana.screenshot('language-outline');
    });

    it('peeks at the references the host\'s provider finds', async () => {
        await ana.page.mouse.move(0, 0);
        await editorOf(ana).locator('.view-lines').click();
        for (const key of ['Control+Home', 'Control+ArrowRight', 'Control+ArrowRight', 'Control+ArrowLeft']) {
            await ana.page.keyboard.press(key); // onto "delta" in line 1 (renamed above), which line 3 has too
        }
        await ana.page.keyboard.press('Shift+F12');
        const peek = ana.page.locator('.peekview-widget');
        await peek.locator('.peekview-title', { hasText: 'References (2)' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        // Its list shows both places, the second in line 3.
        await peek.locator('.monaco-list-row', { hasText: 'see delta again' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await ana.screenshot('language-references');
        await peek.locator('.peekview-actions .codicon-close').click();
        await peek.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    });

    it('shows the host\'s signature help while the guest types a call, with the active parameter', async () => {
        await editorOf(ana).locator('.view-lines').click();
        await ana.page.keyboard.press('Control+End');
        await ana.page.keyboard.press('Enter');
        await ana.page.keyboard.type('call(');
        const hints = ana.page.locator('.parameter-hints-widget');
        await hints.locator('.signature', { hasText: 'host signature call(first, second)' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await hints.locator('.parameter.active', { hasText: 'first' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await ana.page.keyboard.type('1,');
        await hints.locator('.parameter.active', { hasText: 'second' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await ana.screenshot('language-signature-help');
        await ana.page.keyboard.type('2)');
        await ana.page.keyboard.press('Escape');
        await eventually(async () => (await hostText())?.endsWith('\nhostCompletionAlpha\ncall(1,2)') ?? false, 'the host has the call');
    });

    it('formats the document through the host\'s formatter; the host applies the edits and they reach the guest', async () => {
        await editorOf(ana).locator('.view-lines').click();
        await ana.page.keyboard.press('Control+End');
        await ana.page.keyboard.press('Enter');
        await ana.page.keyboard.type('format   me   please  ');
        await eventually(async () => (await hostText())?.endsWith('\nformat   me   please  ') ?? false, 'the host has the unformatted line');
        await ana.runCommand('Format Document');
        await eventually(async () => (await hostText())?.endsWith('\ncall(1,2)\nformat me please') ?? false, 'the host formatted the line');
        await editorOf(ana).locator('.view-lines', { hasText: 'format me please' }).waitFor({ timeout: UI_TIMEOUT_MS });
    });

    it('offers the host\'s quick fix for its diagnostic and applies it on the host', async () => {
        await ana.page.mouse.move(0, 0);
        await editorOf(ana).locator('.view-lines').click();
        for (const key of ['Control+Home', 'ArrowDown', 'End', 'Control+ArrowLeft', 'Control+ArrowLeft']) {
            await ana.page.keyboard.press(key); // onto "TODO" in line 2
        }
        await ana.waitForStatusBarText('editor-status-cursor-position', /Ln 2, Col 13\b/);
        await ana.page.keyboard.press('Control+.');
        const fix = ana.page.locator('.action-widget .monaco-list-row', { hasText: 'Replace TODO with DONE (host fix)' });
        await fix.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await ana.screenshot('language-quick-fix');
        await ana.page.keyboard.press('Enter');
        await eventually(async () => (await hostText())?.includes('\nsecond line DONE here\n') ?? false, 'the host applied the fix');
        await editorOf(ana).locator('.view-lines', { hasText: 'second line DONE here' }).waitFor({ timeout: UI_TIMEOUT_MS });
        // The diagnostic went with the word: no warning left in the guest's editor.
        await editorOf(ana).locator('.squiggly-warning').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    });
});
