import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import {
    Cleanup, joinSession, screenshotOnFailure, SESSION_STATUS_ID, startCollaborationSession, startPeer, UI_TIMEOUT_MS, type RunningSession, type TheiaPage
} from './harness';

/** The toy program the fixture's debug adapter runs (see fixtures/test-debug-adapter). */
const PROGRAM = [
    '# a toy program for the test debug adapter',
    'let a = 2',
    'let b = a * 3',
    'print a + b',
    'let c = b - a',
    'print c',
    'let d = c / (c - 4)',
    ''
].join('\n');
/** The line of PROGRAM that fails (a division by zero): with the adapter's Errors filter on, the program stops there. */
const FAILING_LINE = 7;
/** PROGRAM's last line, empty: the adapter refuses a breakpoint there (no statement at or after it). */
const LAST_LINE = 8;
const FILE = 'main.ensdebug';
const LAUNCH = JSON.stringify({
    version: '0.2.0',
    configurations: [{ type: 'ensemble-test', request: 'launch', name: 'Run toy program', program: '${workspaceFolder}/main.ensdebug' }]
}, undefined, 2);

/**
 * Debugging together, end to end: the host (with the test fixtures' debug
 * adapter, a real adapter process) and a guest, each a real browser app.
 * The guest sets a breakpoint in the host's file; the host starts
 * debugging; the host's program stops there; the guest sees the stopped
 * line in its editor and the variables in its own Debug view, and steps.
 */
describe('e2e: debugging for guests (host + guest, real debug adapter)', function (): void {
    this.timeout(600_000);

    const cleanup = new Cleanup();
    let running: RunningSession;
    let host: TheiaPage;
    let guest: TheiaPage;
    let late: TheiaPage | undefined;

    before(async function (): Promise<void> {
        this.timeout(400_000);
        running = await startCollaborationSession(cleanup, {
            host: {
                name: 'debug-host', displayName: 'Hana', autoAccept: 'read-write',
                files: { [FILE]: PROGRAM, '.theia/launch.json': LAUNCH },
                env: { ENSEMBLE_TEST_FIXTURES: '1' }
            },
            guests: [{ name: 'debug-guest', displayName: 'Gus' }]
        });
        host = running.host.page;
        guest = running.guests[0].page;
    });

    after(() => cleanup.disposeAll());
    afterEach(async function (): Promise<void> {
        await screenshotOnFailure(this.currentTest, [host, guest, late]);
    });

    it('a guest\'s breakpoint stops the host\'s program; the guest sees the stopped line and variables and steps; one the adapter refuses shows refused on the guest too', async () => {
        await guest.openFile(FILE);
        await host.openFile(FILE);
        const guestEditor = editorOf(guest.page);
        const hostEditor = editorOf(host.page);
        await guestEditor.locator('.view-lines', { hasText: 'print a + b' }).waitFor({ timeout: UI_TIMEOUT_MS });
        await hostEditor.locator('.view-lines', { hasText: 'print a + b' }).waitFor({ timeout: UI_TIMEOUT_MS });

        // The guest sets a breakpoint on line 4 (cursor there, F9)...
        await guestEditor.locator('.view-line', { hasText: 'print a + b' }).click();
        await guest.page.keyboard.press('F9');
        await waitForBreakpointLines(guest.page, [4], 'the guest sees its breakpoint');
        // ...and it appears on the host (the host's own breakpoint now, on its file).
        await waitForBreakpointLines(host.page, [4], 'the guest\'s breakpoint appears in the host\'s editor');
        await guest.screenshot('debug-breakpoint-set');

        // The host's breakpoints reach the guest, and so does a removal.
        await hostEditor.locator('.view-line', { hasText: 'print c' }).click();
        await host.page.keyboard.press('F9');
        await waitForBreakpointLines(guest.page, [4, 6], 'the host\'s breakpoint appears in the guest\'s editor');
        await guestEditor.locator('.view-line', { hasText: 'print c' }).click();
        await guest.page.keyboard.press('F9');
        await waitForBreakpointLines(host.page, [4], 'the guest\'s removal reaches the host');
        await waitForBreakpointLines(guest.page, [4], 'the removal shows on the guest');
        // No echo brings it back: a second later both still have only line 4.
        await new Promise(resolve => setTimeout(resolve, 1000));
        assert.deepEqual([await breakpointLines(guest.page), await breakpointLines(host.page)], [[4], [4]]);

        await host.runCommand('Debug: Start Debugging');
        await waitForStoppedLine(host.page, 4, 'the host\'s program stops at the guest\'s breakpoint');
        await waitForStoppedLine(guest.page, 4, 'the guest sees the stopped line');
        await waitForVariable(guest.page, 'b', '6');
        await waitForVariable(guest.page, 'a', '2');
        // The guest's Debug view names the session as the host's.
        await guest.page.getByText('Run toy program (Hana)').first().waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
        await guest.screenshot('debug-guest-stopped');
        await host.screenshot('debug-host-stopped');

        // The guest (read-write) steps: the host's program runs `print a + b` and `let c = b - a`.
        await guest.runCommand('Debug: Step Over');
        await waitForStoppedLine(guest.page, 5, 'the guest\'s step moves the stopped line');
        await waitForStoppedLine(host.page, 5, 'the host follows the guest\'s step');
        await guest.runCommand('Debug: Step Over');
        await waitForStoppedLine(guest.page, 6, 'the second step moves on');
        await waitForVariable(guest.page, 'c', '4');
        await guest.screenshot('debug-guest-stepped');

        // The program's output reached the guest's debug console.
        await guest.page.locator('#debug-console').getByText('8', { exact: true }).first().waitFor({ timeout: UI_TIMEOUT_MS });

        // A breakpoint the host's adapter refuses (the empty last line: no statement there) shows as refused on the guest too, as on the host.
        await guestEditor.locator('.view-line', { hasText: 'print c' }).click();
        await guest.page.keyboard.press('Control+End');
        await guest.page.keyboard.press('F9');
        await waitFor(() => breakpointLines(host.page, UNVERIFIED), lines => lines.includes(LAST_LINE), 'the host\'s adapter refuses the breakpoint on the last line');
        await waitFor(() => breakpointLines(guest.page, UNVERIFIED), lines => lines.includes(LAST_LINE), 'the guest shows the host\'s verdict');
        assert.deepEqual(await breakpointLines(guest.page, UNVERIFIED), [LAST_LINE], 'the guest\'s breakpoint on line 4 stays verified');
        await guest.screenshot('debug-guest-refused-breakpoint');
        await guest.page.keyboard.press('F9');
        await waitFor(() => breakpointLines(host.page), lines => !lines.includes(LAST_LINE), 'the guest\'s removal reaches the host');
        await waitFor(() => breakpointLines(guest.page), lines => !lines.includes(LAST_LINE), 'and shows on the guest');
        // The Breakpoints view re-renders as the breakpoint goes: touch it once it lists the one breakpoint left.
        await waitFor(() => guest.page.locator('[id^="debug:breakpoints"] .theia-TreeNode', { hasText: FILE }).count(), count => count === 1,
            'the guest\'s Breakpoints view is back to one breakpoint');
    });

    it('a guest who joins while the host is stopped sees where at once; made read-only, its step is refused; its Stop only detaches', async () => {
        const lea = await startPeer(cleanup, { name: 'debug-late', displayName: 'Lea' });
        late = lea.page;
        await joinSession(late, running.inviteLink);
        await waitForStoppedLine(late.page, 6, 'the late guest sees the stopped line');
        await waitForVariable(late.page, 'c', '4');
        await late.screenshot('debug-late-guest-attached');

        await host.runCommand('Ensemble: Toggle Participants View');
        await host.widget('ensemble-participants').locator('[data-peer-name="Lea"] button[data-action="make-read-only"]').click();
        await late.waitForStatusBarText(SESSION_STATUS_ID, /Joined \(read-only\)/);

        const mark = await late.notificationMark();
        await late.runCommand('Debug: Step Over');
        await late.waitForNotification(/read-only in this session: 'next' in the host's debug session needs write permission/, { since: mark });
        await late.screenshot('debug-read-only-step-refused');
        assert.equal(await stoppedLine(host.page), 6, 'the host\'s program did not move');
        assert.equal(await stoppedLine(late.page), 6);

        // The host's launch configurations show on guests (the workspace is the host's) but run on the host only.
        const startMark = await late.notificationMark();
        await late.runCommand('Debug: Start Debugging');
        await late.waitForNotification(/'Run toy program' is the host's launch configuration and runs on the host: ask the host to start it/, { since: startMark });

        // A guest's Stop only detaches its view; the host's program stays stopped, and the guest can attach again.
        await late.runCommand('Debug: Stop');
        await waitFor(() => stoppedLine(late!.page), line => line === undefined, 'the late guest\'s view detaches');
        assert.equal(await stoppedLine(host.page), 6, 'the host\'s program is still stopped');
        await late.runCommand('Ensemble: Attach to the Host\'s Debug Sessions');
        await waitForStoppedLine(late.page, 6, 'the late guest is attached again');

        // The host ends its program: the guests' mirrors end with it.
        await host.runCommand('Debug: Continue');
        await waitFor(() => stoppedLine(guest.page), line => line === undefined, 'the guest\'s stopped line goes away when the host\'s program ends');
        await waitFor(() => late!.page.locator('[id^="debug:threads"] .theia-TreeNode').count(), count => count === 0, 'the late guest\'s Debug view has no threads left');
    });

    it('a guest turns on the host adapter\'s Errors exception filter in its Breakpoints view: the host\'s program stops at the failing line, for both', async () => {
        await host.runCommand('Debug: Start Debugging');
        await waitForStoppedLine(host.page, 4, 'the host\'s program stops at the shared breakpoint again');
        await waitForStoppedLine(guest.page, 4, 'the guest sees it');
        // The guest's mirror of the host's session brought the adapter's filters into its Breakpoints view; Errors is off by default.
        const guestErrors = exceptionFilter(guest.page, 'Errors');
        await guestErrors.waitFor({ timeout: UI_TIMEOUT_MS });
        assert.equal(await guestErrors.isChecked(), false);
        await guestErrors.check();
        await waitFor(() => exceptionFilter(host.page, 'Errors').isChecked(), checked => checked, 'the host\'s Breakpoints view shows Errors on');
        await guest.screenshot('debug-guest-exception-filter-on');

        // The host's adapter got the setting: continuing, the program stops where it fails instead of ending.
        // Continue acts on the thread the guest's Debug view has selected: wait until it shows it paused, as a user would.
        await guest.page.locator('[id^="debug:threads"] .theia-TreeNode', { hasText: /paused/i }).first().waitFor({ timeout: UI_TIMEOUT_MS });
        await guest.runCommand('Debug: Continue');
        await waitForStoppedLine(host.page, FAILING_LINE, 'the host\'s program stops at the failing statement');
        await waitForStoppedLine(guest.page, FAILING_LINE, 'the guest sees where it failed');
        await guest.screenshot('debug-guest-stopped-on-error');

        // Resuming runs the statement again: the program ends with its error.
        await host.runCommand('Debug: Continue');
        await waitFor(() => stoppedLine(guest.page), line => line === undefined, 'the program ends');
    });

    it('ending the collaboration session takes the host\'s breakpoints out of the guests\' Breakpoints view', async () => {
        const breakpointRows = guest.page.locator('[id^="debug:breakpoints"] .theia-TreeNode', { hasText: FILE });
        assert.ok(await breakpointRows.count() > 0, 'the guest lists the shared breakpoint first');
        const mark = await guest.notificationMark();
        await host.runCommand('Ensemble: End Session');
        await guest.waitForNotification(/The host ended the session/, { since: mark });
        await waitFor(() => breakpointRows.count(), count => count === 0, 'the guest\'s Breakpoints view drops the host\'s file');
        // The host keeps its breakpoints (the guest's included): they are its own now.
        await waitForBreakpointLines(host.page, [4], 'the host keeps the breakpoint');
    });
});

/** The checkbox of one of the debug adapters' exception filters in the Breakpoints view. */
function exceptionFilter(page: Page, label: string): Locator {
    return page.locator('[id^="debug:breakpoints"] .theia-TreeNode', { hasText: label }).locator('input[type="checkbox"]').first();
}

function editorOf(page: Page): Locator {
    return page.locator('#theia-main-content-panel .monaco-editor').first();
}

/** The glyphs of breakpoints, all of them or those the debug adapter did not verify. */
const ANY_BREAKPOINT = '.codicon-debug-breakpoint, .codicon-debug-breakpoint-unverified';
const UNVERIFIED = '.codicon-debug-breakpoint-unverified';

/** The line numbers that carry a breakpoint glyph (`glyph`: a selector) in the first editor. */
async function breakpointLines(page: Page, glyph = ANY_BREAKPOINT): Promise<number[]> {
    return page.evaluate(selector => {
        const editor = document.querySelector('#theia-main-content-panel .monaco-editor');
        const glyphs = editor ? Array.from(editor.querySelectorAll(selector)) : [];
        return glyphs.map(glyph => lineAt(editor!, glyph)).filter((line): line is number => line !== undefined).sort((a, b) => a - b);

        function lineAt(root: Element, element: Element): number | undefined {
            const top = element.getBoundingClientRect().top;
            const number = Array.from(root.querySelectorAll('.line-numbers')).find(candidate => Math.abs(candidate.getBoundingClientRect().top - top) < 3);
            return number ? Number(number.textContent) : undefined;
        }
    }, glyph);
}

/** The line the debugger stopped at as the first editor highlights it (Theia's top stack frame decoration), or undefined. */
async function stoppedLine(page: Page): Promise<number | undefined> {
    return page.evaluate(() => {
        const editor = document.querySelector('#theia-main-content-panel .monaco-editor');
        const highlight = editor?.querySelector('.theia-debug-top-stack-frame-line');
        if (!editor || !highlight) {
            return undefined;
        }
        const top = highlight.getBoundingClientRect().top;
        const number = Array.from(editor.querySelectorAll('.line-numbers')).find(candidate => Math.abs(candidate.getBoundingClientRect().top - top) < 3);
        return number ? Number(number.textContent) : undefined;
    });
}

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + UI_TIMEOUT_MS * 2;
    let last: T | undefined;
    while (Date.now() < deadline) {
        last = await read();
        if (ok(last)) {
            return;
        }
        await new Promise(resolve => setTimeout(resolve, 250));
    }
    assert.fail(`timed out waiting until ${what} (last seen: ${JSON.stringify(last)})`);
}

function waitForBreakpointLines(page: Page, lines: number[], what: string): Promise<void> {
    return waitFor(() => breakpointLines(page), seen => JSON.stringify(seen) === JSON.stringify(lines), what);
}

function waitForStoppedLine(page: Page, line: number, what: string): Promise<void> {
    return waitFor(() => stoppedLine(page), seen => seen === line, what);
}

/** Waits until the Debug view's Variables show `name: value` (expanding the Locals scope if it is collapsed). */
async function waitForVariable(page: Page, name: string, value: string): Promise<void> {
    const variable = page.locator('.theia-debug-console-variable').filter({ has: page.locator('.name', { hasText: new RegExp(`^${name}:?\\s*$`) }) })
        .filter({ has: page.locator('.value', { hasText: new RegExp(`^${value}$`) }) });
    const collapsedLocals = page.locator('[id^="debug:variables"] .theia-TreeNode', { hasText: /^Locals$/ }).locator('.theia-mod-collapsed');
    await waitFor(async () => {
        if (await collapsedLocals.count() > 0) {
            await collapsedLocals.first().click().catch(() => undefined);
        }
        return variable.count();
    }, count => count > 0, `the guest's Variables view shows ${name}: ${value}`);
}
