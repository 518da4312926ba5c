import * as assert from 'node:assert/strict';
import type { TerminalDiagnostics } from '../browser/terminal/terminal-diagnostics';
import { Cleanup, screenshotOnFailure, SESSION_STATUS_ID, startCollaborationSession, TheiaPage, UI_TIMEOUT_MS, type RunningPeer } from './harness';

/**
 * A terminal the host has not shown since its tab reloaded: Theia restores
 * it behind another one and reconnects it to its shell, but keeps what the
 * shell printed out of the terminal's screen until the terminal is first
 * shown. Sharing it must still give the guest that output.
 */
describe('e2e: sharing a terminal the host has not shown since reloading (host + guest)', function (): void {
    this.timeout(300_000);

    const cleanup = new Cleanup();
    let host: RunningPeer;
    let guest: RunningPeer;

    before(async function (): Promise<void> {
        this.timeout(300_000);
        const session = await startCollaborationSession(cleanup, {
            host: { name: 'bgterm-host', displayName: 'Hana', autoAccept: 'read-write' },
            guests: [{ name: 'bgterm-ana', displayName: 'Ana' }]
        });
        host = session.host;
        guest = session.guests[0];
    });

    after(() => cleanup.disposeAll());

    afterEach(async function (): Promise<void> {
        await screenshotOnFailure(this.currentTest, [host?.page, guest?.page]);
    });

    function diagnostics<T>(page: TheiaPage, read: (d: TerminalDiagnostics) => T): Promise<T> {
        return page.page.evaluate(`(${read.toString()})(window.ensembleTerminals)`) as Promise<T>;
    }
    /** The terminals the user has (Theia may keep others out of sight). */
    const ownTerminals = (page: TheiaPage) => diagnostics(page, d => d.ownTerminals().filter(terminal => !terminal.hiddenFromUser));

    async function until(page: TheiaPage, condition: () => Promise<boolean>, what: string, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        while (!(await condition().catch(() => false))) {
            if (Date.now() > deadline) {
                throw new Error(`[${page.name}] timed out after ${timeoutMs} ms waiting until ${what}`);
            }
            await new Promise(resolve => setTimeout(resolve, 200));
        }
    }

    /** Opens a new terminal on the host and waits for its shell's prompt; returns how many the host has. */
    async function newHostTerminal(): Promise<number> {
        const before = (await ownTerminals(host.page)).length;
        await host.page.runCommand('Terminal: Create New Terminal');
        const profilePick = host.page.page.locator('.quick-input-widget .quick-input-box input');
        const created = async () => (await ownTerminals(host.page)).length > before;
        await until(host.page, async () => await created() || await profilePick.isVisible(), 'a terminal opens (or a profile is asked for)');
        if (!await created()) {
            await host.page.page.keyboard.press('Enter');
        }
        await until(host.page, async () => ((await ownTerminals(host.page)).find(terminal => terminal.visible)?.text.trim().length ?? 0) > 0,
            'the new terminal\'s shell prints its prompt');
        return before + 1;
    }

    it('gives the guest what the terminal printed before the reload, though the host has not shown it since', async () => {
        // The app may start with terminals of its own: this test's is told apart by its title.
        const TITLE = 'background-job';
        await newHostTerminal();
        const first = host.page.page.locator('.terminal-container:not(.lm-mod-hidden) .xterm').first();
        await first.click();
        await host.page.page.keyboard.type(`printf '\\033]0;${TITLE}\\007'; echo in-the-background-$((5*5))`, { delay: 10 });
        await host.page.page.keyboard.press('Enter');
        await until(host.page, async () => (await ownTerminals(host.page)).some(terminal => terminal.title === TITLE && terminal.text.includes('in-the-background-25')),
            'the terminal ran the command and took its title');
        await newHostTerminal(); // in front of it

        await host.page.page.reload();
        await host.page.waitUntilReady();
        await host.page.waitForStatusBarText(SESSION_STATUS_ID, /Hosting · 1 guest$/, 60_000);
        await guest.page.waitForStatusBarText(SESSION_STATUS_ID, /^\s*Joined\s*$/, 60_000);
        await until(host.page, async () => (await ownTerminals(host.page)).some(terminal => terminal.title === TITLE), 'the host\'s terminal is restored');
        const restored = (await ownTerminals(host.page)).find(terminal => terminal.title === TITLE)!;
        assert.equal(restored.visible, false, 'it is behind the other one');
        assert.equal(restored.text, '', 'it has not drawn anything since the reload');

        const guestMark = await guest.page.notificationMark();
        await host.page.runCommand('Ensemble: Share Terminal...');
        await host.page.page.locator('.quick-input-widget .quick-input-title', { hasText: /^Share Terminal$/ }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await host.page.pickQuickItem(TITLE);
        await host.page.page.locator('.quick-input-widget .quick-input-title', { hasText: /^Share ".*" as$/ }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await host.page.pickQuickItem('Read-only');
        await until(host.page, async () => (await ownTerminals(host.page)).some(terminal => terminal.title === TITLE && terminal.shareId !== undefined),
            'the terminal behind is shared');

        await guest.page.waitForNotification(/Hana shares the terminal .* \(read-only; you can watch it\)/, { since: guestMark });
        await guest.page.clickNotificationAction(/Hana shares the terminal/, 'Open');
        await until(guest.page, async () => ((await diagnostics(guest.page, d => d.views()))[0]?.text ?? '').includes('in-the-background-25'),
            'the guest\'s view shows what the terminal printed before the reload');
        await guest.page.screenshot('terminal-background-shared');
    });
});
