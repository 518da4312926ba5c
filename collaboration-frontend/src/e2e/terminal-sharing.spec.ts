import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import {
    Cleanup, eventually, screenshotOnFailure, SESSION_STATUS_ID, openTerminal, startCollaborationSession, terminalDiagnostics, TheiaPage, UI_TIMEOUT_MS, userTerminals, type RunningPeer
} from './harness';

/**
 * Shared terminals end to end: a host and one guest, each a real browser
 * app in headless Chromium, with the host's real shell. The guest sees the
 * host's terminal (scrollback replayed, then live output); while read-write
 * it runs a command that creates a file on the host's disk; once the host
 * makes it read-only its typing does nothing; unsharing and ending the
 * session close its view. Terminals draw on a canvas, so their text is read
 * through `window.ensembleTerminals` (the xterm buffers).
 */
describe('e2e: shared terminals (host + guest)', function (): void {
    this.timeout(300_000);

    const cleanup = new Cleanup();
    let host: RunningPeer;
    let guest: RunningPeer;

    before(async function (): Promise<void> {
        this.timeout(300_000);
        const session = await startCollaborationSession(cleanup, {
            host: { name: 'term-host', displayName: 'Hana', autoAccept: 'read-write' },
            guests: [{ name: 'term-ana', displayName: 'Ana' }]
        });
        host = session.host;
        guest = session.guests[0];

        await openTerminal(host.page);
    });

    after(() => cleanup.disposeAll());

    afterEach(async function (): Promise<void> {
        await screenshotOnFailure(this.currentTest, [host?.page, guest?.page]);
    });

    const views = (page: TheiaPage) => terminalDiagnostics(page, d => d.views());
    /** The host's terminal in front (the app may have others behind it). */
    const hostOwn = async () => (await userTerminals(host.page)).find(terminal => terminal.visible);

    /** Runs "Share Terminal" on the host: the terminal in front (first in the pick when there are several), then the mode. */
    async function shareHostTerminal(mode: 'Read-only' | 'Read-write'): Promise<void> {
        await host.page.runCommand('Ensemble: Share Terminal...');
        const modePick = host.page.page.locator('.quick-input-widget .quick-input-title', { hasText: /^Share ".*" as$/ });
        const terminalPick = host.page.page.locator('.quick-input-widget .quick-input-title', { hasText: /^Share Terminal$/ });
        await modePick.or(terminalPick).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        if (await terminalPick.isVisible()) {
            await host.page.page.keyboard.press('Enter');
            await modePick.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        }
        await host.page.pickQuickItem(mode);
    }

    async function guestViewText(): Promise<string> {
        return (await views(guest.page))[0]?.text ?? '';
    }

    function hostTerminal(): Locator {
        return host.page.page.locator('.terminal-container:not(.lm-mod-hidden) .xterm').first();
    }

    function guestView(): Locator {
        return guest.page.page.locator('.ensemble-shared-terminal .xterm').first();
    }

    /** Types a command line into a terminal (focused by a click) and presses Enter. */
    async function typeLine(page: TheiaPage, terminal: Locator, line: string): Promise<void> {
        await terminal.click();
        await page.page.keyboard.type(line, { delay: 20 });
        await page.page.keyboard.press('Enter');
    }

    it('shows the guest the host\'s terminal: the scrollback replayed on open, then live output, at the host\'s size', async () => {
        // Output from before sharing: the guest must get it from the replayed scrollback.
        await typeLine(host.page, hostTerminal(), 'echo before-share-$((6*7))');
        await eventually(async () => (await hostOwn())!.text.includes('before-share-42'), 'the host\'s shell ran the command');

        const guestMark = await guest.page.notificationMark();
        await shareHostTerminal('Read-write');
        await eventually(async () => (await hostOwn())!.shareId !== undefined, 'the terminal is shared');
        // The host's tab says that guests see it and can type in it.
        await host.page.page.locator('.lm-TabBar-tab.ensemble-terminal-shared-rw').waitFor({ timeout: UI_TIMEOUT_MS });

        await guest.page.waitForNotification(/Hana shares the terminal .* \(read-write; you can type in it\)/, { since: guestMark });
        await guest.page.clickNotificationAction(/Hana shares the terminal/, 'Open');
        await eventually(async () => (await guestViewText()).includes('before-share-42'), 'the guest\'s view replays the scrollback');
        await guest.page.page.locator('.lm-TabBar-tab', { hasText: /\(host: Hana, read-write\)/ }).first().waitFor({ timeout: UI_TIMEOUT_MS });

        await typeLine(host.page, hostTerminal(), 'echo live-$((20+3))');
        await eventually(async () => (await guestViewText()).includes('live-23'), 'the host\'s live output reaches the guest');

        const own = (await hostOwn())!;
        const [view] = await views(guest.page);
        assert.deepEqual({ cols: view.cols, rows: view.rows }, { cols: own.cols, rows: own.rows }, 'the guest\'s view has the host terminal\'s size');
        await guest.page.screenshot('terminal-live-output');
    });

    it('lets a read-write guest run a command that creates a file on the host\'s disk, and shows the host who typed', async () => {
        const created = path.join(host.workspace, 'made-by-ana.txt');
        assert.equal(existsSync(created), false);
        await typeLine(guest.page, guestView(), 'touch made-by-ana.txt');
        await eventually(async () => existsSync(created), 'the guest\'s command created the file on the host');
        await host.page.waitForStatusBarText('ensemble-terminal-typing', /Ana typed in/);
        assert.equal((await terminalDiagnostics(host.page, d => d.lastTyped()))?.name, 'Ana');
        await host.page.screenshot('terminal-guest-typed');
    });

    it('ignores a read-only guest\'s typing: the command does not run and the file is not created', async () => {
        await host.page.widget('ensemble-participants').locator('[data-peer-name="Ana"] button[data-action="make-read-only"]').click();
        await guest.page.waitForStatusBarText(SESSION_STATUS_ID, /Joined \(read-only\)/);
        await eventually(async () => (await views(guest.page))[0]?.canType === false, 'the guest\'s view turns read-only');
        await guest.page.page.locator('.lm-TabBar-tab', { hasText: /\(host: Hana, read-only\)/ }).first().waitFor({ timeout: UI_TIMEOUT_MS });

        const refused = path.join(host.workspace, 'by-read-only.txt');
        const guestMark = await guest.page.notificationMark();
        await typeLine(guest.page, guestView(), 'touch by-read-only.txt');
        await guest.page.waitForNotification(/read-only access to this session, so your typing does not reach Hana's terminal/, { since: guestMark });
        // The host's own next command shows that the terminal went on working in the meantime.
        await typeLine(host.page, hostTerminal(), 'echo after-read-only-$((2+2))');
        await eventually(async () => (await guestViewText()).includes('after-read-only-4'), 'the host\'s next command is shown to the guest');
        await host.page.page.waitForTimeout(2000); // room for a stray keystroke to arrive, if any had been sent
        assert.equal(existsSync(refused), false, 'the read-only guest\'s command must not run');
        const hostText = (await hostOwn())!.text;
        assert.ok(!hostText.includes('by-read-only'), `the host's terminal shows none of the read-only guest's keys:\n${hostText}`);
        await guest.page.screenshot('terminal-read-only');
    });

    it('closes the guest\'s view with a message when the host stops sharing, and when the session ends', async () => {
        let guestMark = await guest.page.notificationMark();
        await host.page.runCommand('Ensemble: Stop Sharing Terminal...');
        await guest.page.waitForNotification(/Hana stopped sharing the terminal .*, so its view was closed/, { since: guestMark });
        await eventually(async () => (await views(guest.page)).length === 0, 'the guest\'s view closes');
        await host.page.page.locator('.lm-TabBar-tab.ensemble-terminal-shared-rw').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
        await guest.page.page.locator('.ensemble-shared-terminal').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });

        // Shared again (read-only), opened from the command palette, then the host ends the session.
        guestMark = await guest.page.notificationMark();
        await shareHostTerminal('Read-only');
        await guest.page.waitForNotification(/Hana shares the terminal .* \(read-only; you can watch it\)/, { since: guestMark });
        await guest.page.runCommand('Ensemble: Open Shared Terminal...');
        await guest.page.pickQuickItem(/read-only/);
        await eventually(async () => (await guestViewText()).includes('after-read-only-4'), 'the reopened view replays the scrollback');

        guestMark = await guest.page.notificationMark();
        await host.page.runCommand('Ensemble: End Session');
        await guest.page.waitForNotification(/the session ended, so the host's shared terminal .* closed/, { since: guestMark });
        await eventually(async () => (await views(guest.page)).length === 0, 'the guest\'s view closes when the session ends');
    });
});
